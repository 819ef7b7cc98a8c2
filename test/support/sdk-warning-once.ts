// Vitest global setup: the AWS SDK's Node.js version-support warning once per test run, not once
// per test file and spawned process. The SDK emits it at most once per process; vitest runs each
// file in its own process and many tests spawn more. Here the SDK's own check runs once, in the
// main process, and the SDK's switch for that one warning is set for every process started after
// (workers and their children inherit the environment). Every other warning still shows.

import { createRequire } from "node:module";

// Loaded by Node's require (the SDK's CommonJS build, one file), not through vitest's module
// runner: an import here resolves the SDK's ES module build, hundreds of @smithy/core files that
// vitest would transform and evaluate one by one in the main process (about 440 modules), for one
// function.
const { emitWarningIfUnsupportedVersion } = createRequire(import.meta.url)("@aws-sdk/core/client") as {
  emitWarningIfUnsupportedVersion: (version: string) => void;
};

export default function setup(): void {
  emitWarningIfUnsupportedVersion(process.version);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
}
