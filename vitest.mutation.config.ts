import { defineConfig } from "vitest/config";

/**
 * The tests Stryker runs against each mutant of the code under mutation
 * (`stryker.config.json`): the unit project, and the local-stack tests that
 * drive the HTTP API gateway through its public interface.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["packages/core/**/*.test.ts", "packages/functions/**/*.test.ts"],
          environment: "node",
          globalSetup: ["packages/local/test/global-dynamodb.ts"],
        },
      },
      {
        test: {
          name: "gateway",
          include: ["packages/local/test/gateway*.test.ts", "packages/local/test/stack.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
