export * from "../../../src/fake-github/index.js";
