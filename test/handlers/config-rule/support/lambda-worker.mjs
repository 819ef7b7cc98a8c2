// Runs a handler bundle in a worker thread as AWS Lambda runs it: imported natively (not through
// the test runner's transform), its own environment, module scope evaluated once (the cold
// start), then invocations on request. Console output (Powertools' JSON logs and EMF metrics) and
// process warnings are sent to the test instead of being printed.

import { format } from "node:util";
import { parentPort, workerData } from "node:worker_threads";

const post = (message) => parentPort.postMessage(message);

for (const method of ["log", "info", "warn", "error", "debug", "trace"]) {
  console[method] = (...args) => post({ type: "console", method, text: format(...args) });
}
process.emitWarning = (warning, ...rest) => {
  const name = typeof rest[0] === "string" ? rest[0] : (rest[0]?.type ?? warning?.name ?? "Warning");
  post({ type: "warning", text: `${name}: ${String(warning?.message ?? warning)}` });
};

try {
  const { handler } = await import(workerData.bundle);
  parentPort.on("message", async ({ id, event }) => {
    try {
      post({ type: "result", id, outcome: await handler(event) });
    } catch (error) {
      post({ type: "result", id, error: { name: error?.name, message: error?.message ?? String(error) } });
    }
  });
  post({ type: "ready" });
} catch (error) {
  post({ type: "init-error", error: { name: error?.name, message: error?.message ?? String(error) } });
}
