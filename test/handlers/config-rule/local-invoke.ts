// Runs the built Config rule (dist/handlers/config-rule.mjs) on one configuration item, locally:
// the bundle in a Lambda-like worker, the real AWS SDK, the test suite's local Config endpoint.
// Prints the handler's log lines and what PutEvaluations received.
//
//   node bin/run-ts.mjs test/handlers/config-rule/local-invoke.ts ITEM.json [--service NAME]
//     [--rating C3I2A1] [--oversized] [--left-scope]

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ConfigEndpoint } from "../../support/config-endpoint.ts";
import { ensureBundle } from "./support/bundle.ts";
import { changeEvent, oversizedEvent, summaryOf } from "./support/events.ts";
import { handlerEnv, Lambda } from "./support/lambda.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    service: { type: "string" },
    rating: { type: "string" },
    oversized: { type: "boolean", default: false },
    "left-scope": { type: "boolean", default: false },
  },
});
const file = positionals[0];
if (!file) {
  process.stderr.write(
    "usage: local-invoke.ts ITEM.json [--service NAME] [--rating C3I2A1] [--oversized] [--left-scope]\n",
  );
  process.exit(2);
}
const item = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;

ensureBundle();
const endpoint = await ConfigEndpoint.start();
const lambda = await Lambda.start(handlerEnv(endpoint.url, { POWERTOOLS_LOG_LEVEL: "INFO" }));
try {
  const rule = `compliance-${values.service ?? "all"}`;
  const options = {
    rule,
    resultToken: endpoint.tokenFor(rule),
    eventLeftScope: values["left-scope"],
    ruleParameters: {
      ...(values.service ? { service: values.service } : {}),
      ...(values.rating ? { ciaRating: values.rating } : {}),
    },
  };
  if (values.oversized) endpoint.putResource(item);
  const event = values.oversized ? oversizedEvent(summaryOf(item), options) : changeEvent(item, options);
  const outcome = await lambda.invoke(event);
  for (const line of lambda.logs) {
    const { timestamp: _t, sampling_rate: _s, service: _v, ...rest } = line;
    process.stdout.write(`log  ${JSON.stringify(rest)}\n`);
  }
  for (const call of endpoint.calls) process.stdout.write(`call ${call.operation} -> ${call.status}\n`);
  for (const e of endpoint.accepted) {
    const at = new Date(e.orderingTimestamp * 1000).toISOString();
    process.stdout.write(
      `put  ${e.complianceType} ${e.resourceType} ${e.resourceId} @ ${at}\n     ${e.annotation}\n`,
    );
  }
  process.stdout.write(`outcome ${JSON.stringify(outcome)}\n`);
} finally {
  await lambda.stop();
  await endpoint.close();
}
