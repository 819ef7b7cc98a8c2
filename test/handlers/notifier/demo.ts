// A runnable demonstration of the notifier (README, docs/NOTIFIER.md): the built bundle against
// local endpoints (dynalite, SNS, Organizations), exactly as the tests drive it. Prints what
// the topics receive for a production finding, its duplicate, its resolution, the owner
// subscription sync and the digest.
//   npm run build && node bin/run-ts.mjs test/handlers/notifier/demo.ts

import { pathToFileURL } from "node:url";
import {
  ACCOUNTS,
  CISO_TOPIC,
  COMPLIANT_ANNOTATION,
  complianceEvent,
  DDB_ANNOTATION,
  startStack,
} from "./harness.ts";

const stack = await startStack();
const bundle = new URL("../../../dist/handlers/notifier.mjs", import.meta.url);
const { handler } = (await import(pathToFileURL(bundle.pathname).href)) as {
  handler: (event: unknown) => Promise<unknown>;
};
const show = (title: string, value: unknown) =>
  process.stdout.write(
    `\n### ${title}\n${typeof value === "string" ? value : JSON.stringify(value, null, 2)}\n`,
  );

try {
  const finding = complianceEvent({
    accountId: ACCOUNTS.production,
    resourceId: "orders",
    compliance: "NON_COMPLIANT",
    ordering: "2025-03-02T10:00:00.000Z",
    annotation: DDB_ANNOTATION,
  });
  show("handler(finding)", await handler(finding));
  show("handler(the same event again)", await handler(finding));
  const [owner, ciso] = stack.sns.published;
  show("owner topic: subject", owner?.subject);
  show("owner topic: message attributes", owner?.attributes);
  show("owner topic: body", owner?.message);
  show("CISO topic: subject", `${ciso?.subject} (${ciso?.topicArn === CISO_TOPIC ? "CISO topic" : "?"})`);
  const fixed = complianceEvent({
    accountId: ACCOUNTS.production,
    resourceId: "orders",
    compliance: "COMPLIANT",
    ordering: "2025-03-03T16:30:00.000Z",
    annotation: COMPLIANT_ANNOTATION,
  });
  await handler(fixed);
  const resolved = stack.sns.published.at(-1)!;
  show("resolved: subject", resolved.subject);
  show("resolved: body (text part)", resolved.message.split("\n\n--- JSON ---")[0]);
  // A finding in a development account, open for three weeks, for the digest.
  const weeksAgo = new Date(Date.now() - 21 * 86_400_000).toISOString();
  await handler(
    complianceEvent({
      accountId: ACCOUNTS.rated,
      resourceId: "sessions",
      compliance: "NON_COMPLIANT",
      ordering: weeksAgo,
      annotation: DDB_ANNOTATION,
    }),
  );
  show('handler({"mode": "sync-owners"})', await handler({ mode: "sync-owners" }));
  stack.sns.confirmAll();
  const before = stack.sns.published.length;
  show('handler({"mode": "digest", "days": 7})', await handler({ mode: "digest", days: 7 }));
  for (const p of stack.sns.published.slice(before)) {
    show(
      `digest to ${p.topicArn === CISO_TOPIC ? "the CISO topic" : `the owner topic, delivered to ${p.deliveredTo.join(", ")}`}`,
      `${p.subject}\n\n${p.message.split("\n\n--- JSON ---")[0]}`,
    );
  }
  show("messages published in all", stack.sns.published.length);
} finally {
  await stack.close();
}
