// Three tiers, each a jest project (`npm run test:unit|test:integration|test:system`; `npm test` runs all three):
// - unit: pure functions and files, no database, no processes;
// - integration: the API in-process (startTestApp) against real PostgreSQL, one folder per area;
// - system: child processes, a browser, a redis-server, kill -9, fuzzing.

/** What every tier shares: TypeScript through ts-jest, and `./x.js` imports (src/ is ESM-style) mapped to `./x`. */
const base = {
  testEnvironment: "node",
  testMatch: ["**/*.test.ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  setupFiles: ["reflect-metadata"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: { module: "commonjs", moduleResolution: "node10" } }],
  },
};

// Jest runs each distinct globalSetup path once per run, for the projects that have tests selected. Both database
// tiers name the same file, so one embedded PostgreSQL serves both, and a unit-only run starts none.
const withDatabase = {
  globalSetup: "<rootDir>/test/support/global-setup.ts",
  globalTeardown: "<rootDir>/test/support/global-teardown.ts",
};

/** @type {import("jest").Config} */
module.exports = {
  testTimeout: 30_000,
  reporters: ["default", "<rootDir>/test/support/summary-reporter.js"],
  projects: [
    { ...base, displayName: "unit", roots: ["<rootDir>/test/unit"] },
    { ...base, ...withDatabase, displayName: "integration", roots: ["<rootDir>/test/integration"] },
    { ...base, ...withDatabase, displayName: "system", roots: ["<rootDir>/test/system"] },
  ],
};
