export * from "../../../src/testing/fake-github/index.js";
