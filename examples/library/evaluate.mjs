// Evaluates one real configuration item with the package's own catalogue, in plain JavaScript.
// In a project that installed the package: node evaluate.mjs path/to/item.json [RATING]
import { readFileSync } from "node:fs";
import { createEngine } from "aws-compliance-engine";

const [file = "test/fixtures/ci/AWS_DynamoDB_Table/rdk-sample-ci.json", rating = "C3I3A3"] =
  process.argv.slice(2);
const engine = createEngine();
const record = engine.evaluate(JSON.parse(readFileSync(file, "utf8")), { rating, now: new Date() });

console.log(`${record.resourceType} ${record.resourceId}: ${record.compliance}`);
for (const f of record.findings.filter((f) => f.status === "FAIL")) {
  console.log(`  [${f.severity}] ${f.controlId}: ${f.message}`);
}
console.log(`annotation: ${record.annotation}`);
