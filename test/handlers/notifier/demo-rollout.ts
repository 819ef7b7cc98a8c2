// A runnable demonstration of the quiet go-live (README, docs/DEPLOYMENT.md "Go-live"): the built
// bundle against local endpoints (dynalite, SNS, Organizations), loaded twice as two cold starts,
// first with ROLLOUT_MODE=quiet, then after the switch to normal. Prints what the topics get.
//   npm run build && node bin/run-ts.mjs test/handlers/notifier/demo-rollout.ts

import { pathToFileURL } from "node:url";
import { ACCOUNTS, CISO_TOPIC, complianceEvent, DDB_ANNOTATION, OWNER_TOPIC, startStack } from "./harness.ts";

type Handler = (event: unknown) => Promise<unknown>;

const stack = await startStack();
const bundle = pathToFileURL(new URL("../../../dist/handlers/notifier.mjs", import.meta.url).pathname).href;
/** A fresh copy of the bundle (a cold start that reads the environment as it is now). */
const coldStart = async (copy: string): Promise<Handler> =>
  ((await import(`${bundle}?${copy}`)) as { handler: Handler }).handler;
const show = (title: string, value: unknown) =>
  process.stdout.write(`\n### ${title}\n${typeof value === "string" ? value : JSON.stringify(value)}\n`);
const topic = (arn: string) =>
  arn === OWNER_TOPIC ? "owner topic" : arn === CISO_TOPIC ? "CISO topic" : arn;
const published = () =>
  stack.sns.published.map((p) => `${topic(p.topicArn)}: ${p.subject}`).join("\n") || "nothing";
const finding = (accountId: string, resourceId: string, ordering: string) =>
  complianceEvent({
    accountId,
    resourceId,
    compliance: "NON_COMPLIANT",
    ordering,
    annotation: DDB_ANNOTATION,
  });
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

try {
  process.env.ROLLOUT_MODE = "quiet";
  const quiet = await coldStart("quiet");
  await quiet(finding(ACCOUNTS.production, "orders", hoursAgo(30)));
  await quiet(finding(ACCOUNTS.production, "payments", hoursAgo(5)));
  await quiet(finding(ACCOUNTS.rated, "sessions", hoursAgo(2)));
  show("quiet: three findings recorded; published", published());
  const digest = (await quiet({ mode: "digest", days: 7 })) as { owners: unknown };
  show("quiet: digest (days 7) owners", digest.owners);
  show("quiet: published", published());
  show(
    "quiet: the CISO summary's rollout line",
    stack.sns.published
      .at(-1)
      ?.message.split("\n")
      .find((l) => l.startsWith("Rollout")),
  );

  stack.sns.published.length = 0;
  process.env.ROLLOUT_MODE = "normal";
  const normal = await coldStart("normal");
  await normal(finding(ACCOUNTS.production, "orders", new Date().toISOString()));
  show("normal: orders (open at the switch) again NON_COMPLIANT; published", published());
  await normal(finding(ACCOUNTS.production, "ledger-archive", new Date().toISOString()));
  show("normal: ledger-archive opens after the switch; published", published());
} finally {
  await stack.close();
}
