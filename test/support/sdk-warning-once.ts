// Vitest global setup: the AWS SDK's Node.js version-support warning once per test run, not once
// per test file and spawned process. The SDK emits it at most once per process; vitest runs each
// file in its own process and many tests spawn more. Here the SDK's own check runs once, in the
// main process, and the SDK's switch for that one warning is set for every process started after
// (workers and their children inherit the environment). Every other warning still shows.

import { emitWarningIfUnsupportedVersion } from "@aws-sdk/core/client";

export default function setup(): void {
  emitWarningIfUnsupportedVersion(process.version);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
}
