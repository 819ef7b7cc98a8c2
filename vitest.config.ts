import { defineConfig } from "vitest/config";

// Test files run one after the other in a few long-lived worker processes (isolate: false): each
// process imports the engine, the CLI and the catalogue once instead of once per file, which is
// most of the suite's CPU time saved. They keep no state between files: no module mocks, the
// working directory restored, and the environment (the notifier's tests point the Lambda's
// endpoints, topics and log levels at local servers) put back after each file by
// test/support/restore-env.ts. The bundles that read the environment at their first use are
// loaded as fresh copies per test (test/handlers/notifier/harness.ts); the config-rule bundle
// runs in worker threads with an environment of its own.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    isolate: false,
    // A larger young generation for the long-lived worker: the tests allocate many short-lived
    // objects (records, SDK requests), and fewer scavenges measured about 5% less CPU.
    execArgv: ["--max-semi-space-size=64"],
    include: ["test/**/*.test.ts"],
    // Built code loads natively, as Node loads it for a user or in Lambda: the bundles (and the
    // notifier tests' copies of one: through vitest's module runner each 1 MB copy would be
    // transformed again) and the compiled library.
    server: {
      deps: {
        external: [
          /[\\/]dist[\\/]handlers[\\/][^\\/]+\.mjs$/,
          /[\\/]notifier-bundle-[^\\/]+[\\/]notifier\.mjs$/,
          /[\\/]dist[\\/]lib[\\/]/,
        ],
      },
    },
    globalSetup: [
      // SUITE_CPU_LOG=FILE: the main process's own CPU time, when the run ends (its teardown runs last).
      ...(process.env.SUITE_CPU_LOG ? ["test/support/cpu-main.ts"] : []),
      "test/support/sdk-warning-once.ts",
      "test/support/build-bundles.ts",
      "test/support/build-library.ts",
    ],
    setupFiles: [
      "test/support/restore-env.ts",
      // SUITE_CPU_LOG=FILE: each test file's CPU time, one JSON line per file (which files cost most).
      ...(process.env.SUITE_CPU_LOG ? ["test/support/cpu-per-file.ts"] : []),
    ],
  },
});
