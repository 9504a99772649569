export * from "../../src/testing/manual-clock.js";
