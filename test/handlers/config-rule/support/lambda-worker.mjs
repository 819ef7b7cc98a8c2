// Runs a handler bundle in a worker thread as AWS Lambda runs it: imported natively (not through
// the test runner's transform), its own environment, module scope evaluated once (the cold
// start), then invocations on request. Console output (Powertools' JSON logs and EMF metrics) and
// process warnings are sent to the test instead of being printed.

import dns from "node:dns";
import { format } from "node:util";
import { parentPort, workerData } from "node:worker_threads";

const post = (message) => parentPort.postMessage(message);

// S3 Control addresses an account by host name (`<account>.localhost` for a local endpoint):
// names under `localhost` are the loopback (RFC 6761), as systemd-resolved and browsers resolve them.
const systemLookup = dns.lookup;
dns.lookup = (host, options, callback) => {
  const cb = typeof options === "function" ? options : callback;
  const all = typeof options === "object" && options !== null && options.all;
  if (host === "localhost" || String(host).endsWith(".localhost")) {
    return all ? cb(null, [{ address: "127.0.0.1", family: 4 }]) : cb(null, "127.0.0.1", 4);
  }
  return systemLookup(host, options, callback);
};
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
