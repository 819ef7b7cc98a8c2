// A fresh `node` process around a handler bundle, as an outside harness would run it: imports the
// bundle natively, reports its exports, then invokes `handler` with each event read from stdin
// (one JSON document a line) and reports each result on file descriptor 3. stdout and stderr are
// left alone, so the test sees exactly what the bundle prints.

import { createWriteStream } from "node:fs";
import { createInterface } from "node:readline";

const results = createWriteStream("", { fd: 3 });
const report = (value) => results.write(`${JSON.stringify(value)}\n`);

const module = await import(process.argv[2]);
report({ exports: Object.keys(module).sort() });
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  try {
    report({ outcome: await module.handler(JSON.parse(line), {}) });
  } catch (error) {
    report({ error: { name: error?.name, message: error?.message ?? String(error) } });
  }
}
results.end();
