// TypeScript runs as native ESM under jest (the @octokit packages ship ESM only):
// @swc/jest strips types per file, node's --experimental-vm-modules (set in the npm
// test script) lets jest load ES modules, and `.js` specifiers map back to `.ts`.
/** @type {import('jest').Config} */
export default {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "es6" } },
    ],
  },
  moduleNameMapper: {
    "^(\\.{1,2}/.*)\\.js$": "$1",
    "^hookwright$": "<rootDir>/src/index.ts",
    "^hookwright/testing$": "<rootDir>/src/testing/index.ts",
    "^hookwright/probot$": "<rootDir>/src/probot/index.ts",
    // test/probot/ holds a Probot app's own test, unchanged: "probot" is the drop-in there.
    "^probot$": "<rootDir>/src/probot/index.ts",
  },
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  modulePathIgnorePatterns: ["<rootDir>/dist/"],
  testTimeout: 20000,
};
