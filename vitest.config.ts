import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    globalSetup: ["test/support/sdk-warning-once.ts", "test/support/build-bundles.ts"],
    // SUITE_CPU_LOG=FILE: each test file's CPU time, one JSON line per file (which files cost most).
    setupFiles: process.env.SUITE_CPU_LOG ? ["test/support/cpu-per-file.ts"] : [],
  },
});
