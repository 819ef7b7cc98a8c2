// A runnable demonstration of stateless mode (docs/NOTIFIER.md): the built bundle with only the
// two topic ARNs set, against local SNS and Organizations endpoints and no DynamoDB. Prints what
// the topics get for AWS's own sample event, a production finding and its resolution, and what
// the ledger-only modes answer.
//   npm run build && node bin/run-ts.mjs test/handlers/notifier/demo-stateless.ts

import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import {
  ACCOUNTS,
  COMPLIANT_ANNOTATION,
  complianceEvent,
  DDB_ANNOTATION,
  startStatelessEndpoints,
} from "./harness.ts";

const endpoints = await startStatelessEndpoints();
process.env.POWERTOOLS_LOG_LEVEL = "WARN";
process.env.LOG_LEVEL = "WARN";
const bundle = new URL("../../../dist/handlers/notifier.mjs", import.meta.url);
const { handler } = (await import(pathToFileURL(bundle.pathname).href)) as {
  handler: (event: unknown) => Promise<unknown>;
};
const show = (title: string, value: unknown) =>
  process.stdout.write(
    `\n### ${title}\n${typeof value === "string" ? value : JSON.stringify(value, null, 2)}\n`,
  );
const published = (from: number) =>
  endpoints.sns.published.slice(from).map((p) => ({
    topic: p.topicArn.split(":").at(-1),
    subject: p.subject,
    attributes: p.attributes,
  }));

try {
  const sample = JSON.parse(
    readFileSync(
      new URL("../../fixtures/events/eventbridge-compliance-change-rdk-workshop.json", import.meta.url),
      "utf8",
    ),
  );
  // As published, the sample's envelope account differs from detail.awsAccountId: dropped and counted.
  show("handler(AWS's sample event, unchanged)", await handler(sample));
  sample.account = sample.detail.awsAccountId;
  show("handler(AWS's sample event, envelope account = detail.awsAccountId)", await handler(sample));
  show("published", published(0));
  let from = endpoints.sns.published.length;
  const previous = {
    compliance: "NON_COMPLIANT",
    ordering: "2025-03-02T10:00:00.000Z",
    annotation: DDB_ANNOTATION,
  };
  show(
    "handler(production finding)",
    await handler(
      complianceEvent({
        accountId: ACCOUNTS.production,
        resourceId: "orders",
        compliance: "NON_COMPLIANT",
        ordering: previous.ordering,
        annotation: DDB_ANNOTATION,
        previous: null,
      }),
    ),
  );
  show(
    "handler(its resolution: COMPLIANT, oldEvaluationResult NON_COMPLIANT)",
    await handler(
      complianceEvent({
        accountId: ACCOUNTS.production,
        resourceId: "orders",
        compliance: "COMPLIANT",
        ordering: "2025-03-03T16:30:00.000Z",
        annotation: COMPLIANT_ANNOTATION,
        previous,
      }),
    ),
  );
  show("published", published(from));
  from = endpoints.sns.published.length;
  show("resolved: body (text part)", endpoints.sns.published.at(-1)!.message.split("\n\n--- JSON ---")[0]);
  await handler({ mode: "digest" }).catch((error: Error) =>
    show('handler({"mode": "digest"})', `${error.name}: ${error.message}`),
  );
} finally {
  await endpoints.close();
}
