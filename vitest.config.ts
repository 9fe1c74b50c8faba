import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      "packages/web/vitest.config.ts",
      {
        test: {
          name: "unit",
          include: ["packages/core/**/*.test.ts", "packages/functions/**/*.test.ts"],
          environment: "node",
          // Starting an emulator (a pool makes its RSA keys) can outlast 10 s on a busy machine.
          hookTimeout: 60_000,
          globalSetup: ["packages/core/test/global-dynamodb.ts"],
        },
      },
      {
        test: {
          name: "infra",
          include: ["infra/test/**/*.test.ts", "packages/sst-offline/test/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "bench",
          include: ["packages/bench/test/**/*.test.ts"],
          environment: "node",
          testTimeout: 180_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "local",
          include: ["packages/local/test/**/*.test.ts", "packages/ops/test/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
