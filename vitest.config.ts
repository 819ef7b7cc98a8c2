import { defineConfig } from "vitest/config";

// Test files of the "shared" project run one after the other in a few long-lived worker processes
// (isolate: false): each process imports the engine, the CLI and the catalogue once instead of once
// per file, which is most of the suite's CPU time saved. They keep no state between files: no
// environment change left behind, no module mocks, the working directory restored. The notifier's
// tests set the environment of the Lambda (endpoints, topics, log levels, the ledger) on the test
// process and load bundles that read it at first use, so each of their files gets a fresh process
// ("isolated"). The config-rule bundle runs in worker threads with an environment of its own.
const ISOLATED = ["test/handlers/notifier/**/*.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Built bundles (and the notifier tests' copies of one) load as Node loads them in Lambda,
    // natively: through vitest's module runner each 1 MB copy would be transformed again.
    server: {
      deps: {
        external: [
          /[\\/]dist[\\/]handlers[\\/][^\\/]+\.mjs$/,
          /[\\/]notifier-bundle-[^\\/]+[\\/]notifier\.mjs$/,
        ],
      },
    },
    globalSetup: ["test/support/sdk-warning-once.ts", "test/support/build-bundles.ts"],
    // SUITE_CPU_LOG=FILE: each test file's CPU time, one JSON line per file (which files cost most).
    setupFiles: process.env.SUITE_CPU_LOG ? ["test/support/cpu-per-file.ts"] : [],
    projects: [
      {
        extends: true,
        test: { name: "shared", include: ["test/**/*.test.ts"], exclude: ISOLATED, isolate: false },
      },
      { extends: true, test: { name: "isolated", include: ISOLATED, isolate: true } },
    ],
  },
});
