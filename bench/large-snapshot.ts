// Writes a generated organisation of any size, to measure the CLI on it by hand (a million items
// is minutes of evaluation, too long for `npm run bench`):
//
//   node bin/run-ts.mjs bench/large-snapshot.ts 1000000 /tmp/org.jsonl.gz
//   /usr/bin/time -v node bin/compliance.mjs evaluate /tmp/org.jsonl.gz --format html --out /tmp/org.html
//
// Gzipped NDJSON, one configuration item per line: the sample organisation's real items, each
// copy with a resource id and ARN of its own, spread over 100 accounts.

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { createGzip } from "node:zlib";
import { sampleItemTexts } from "./evaluate.ts";

const [countArg, out] = process.argv.slice(2);
const count = Number(countArg);
if (!Number.isInteger(count) || count < 1 || !out) {
  process.stderr.write("usage: node bin/run-ts.mjs bench/large-snapshot.ts COUNT OUT.jsonl.gz\n");
  process.exit(2);
}

const items = sampleItemTexts().map((t) => JSON.parse(t) as Record<string, unknown>);
const gzip = createGzip({ level: 1 });
const file = createWriteStream(out);
gzip.pipe(file);
for (let i = 0; i < count; i++) {
  const item = { ...items[i % items.length] };
  const account = String(100000000000 + (i % 100));
  const id = `${String(item.resourceId)}-${i}`;
  item.resourceId = id;
  if ("awsAccountId" in item) item.awsAccountId = account;
  else item.accountId = account;
  if (typeof item.ARN === "string")
    item.ARN = item.ARN.replace(/:\d{12}:/, `:${account}:`).replace(/[^:/]+$/, (last) => `${last}-${i}`);
  if (typeof item.arn === "string")
    item.arn = item.arn.replace(/:\d{12}:/, `:${account}:`).replace(/[^:/]+$/, (last) => `${last}-${i}`);
  if (!gzip.write(`${JSON.stringify(item)}\n`)) await once(gzip, "drain");
}
gzip.end();
await once(file, "close");
process.stdout.write(`wrote ${count} items to ${out}\n`);
