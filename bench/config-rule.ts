// Benchmarks of the Config rule Lambda (dist/handlers/config-rule.mjs), each against a baseline
// measured in the same run, both talking HTTP to the local Config endpoint of the tests:
//   - one change event end to end in a warm process (parse, evaluate, PutEvaluations) against a
//     bare PutEvaluations call with the same SDK client;
//   - cold start: a new process that imports the bundle (one file; what the event needs of the parts
//     it embeds as deflated text, e.g. the rule's service's validators, is compiled then) and
//     handles one change event, against a
//     new process that only loads the Config client (bundled the same way) and sends one
//     PutEvaluations. Measured inside each process as its CPU time since it started (user +
//     system), so process start-up counts for both and other work on the machine does not.
// Every measurement runs in a child process: the handler's logs and metrics go to a pipe, not to
// the table.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { ConfigEndpoint } from "../test/support/config-endpoint.ts";

import { type Figure, figure, median, runChild } from "./figure.ts";

export type { Figure } from "./figure.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const WARM_RUNS = 50;
const COLD_RUNS = 7;

/** A change event for a real DynamoDB table item, to the dynamodb rule. */
function changeEvent(): Record<string, unknown> {
  const item = JSON.parse(
    readFileSync(join(ROOT, "test/fixtures/ci/AWS_DynamoDB_Table/rdk-sample-ci.json"), "utf8"),
  );
  return {
    version: "1.0",
    invokingEvent: JSON.stringify({
      configurationItemDiff: null,
      configurationItem: item,
      notificationCreationTime: "2024-05-01T10:00:00.000Z",
      messageType: "ConfigurationItemChangeNotification",
      recordVersion: "1.3",
    }),
    ruleParameters: JSON.stringify({ service: "dynamodb", ciaRating: "C3I3A3" }),
    resultToken: "bench-token",
    eventLeftScope: false,
    configRuleName: "compliance-dynamodb",
    configRuleArn: "arn:aws:config:eu-west-1:123456789012:config-rule/config-rule-bench",
    accountId: "123456789012",
  };
}

// The child scripts: ES modules run by plain node, reporting through RESULT_FILE.
const HANDLER_SCRIPT = `
import { writeFileSync } from "node:fs";
const event = JSON.parse(process.env.BENCH_EVENT);
const { handler } = await import(process.env.BENCH_BUNDLE);
const runs = Number(process.env.BENCH_RUNS);
const times = [];
if (runs === 0) {
  await handler(event);
  // CPU time since the process started (start-up, import, first event): what a shared machine's
  // load does not change. performance.now() would be wall time.
  const u = process.cpuUsage();
  times.push((u.user + u.system) / 1000);
} else {
  await handler(event);
  for (let i = 0; i < runs; i++) {
    const t = process.cpuUsage();
    await handler(event);
    const d = process.cpuUsage(t);
    times.push((d.user + d.system) / 1000);
  }
}
writeFileSync(process.env.RESULT_FILE, JSON.stringify(times));
`;

const CLIENT_ENTRY = `
import { ConfigServiceClient, PutEvaluationsCommand } from "@aws-sdk/client-config-service";
export async function putOne(client) {
  await client.send(new PutEvaluationsCommand({
    ResultToken: "bench-token",
    Evaluations: [{ ComplianceResourceType: "AWS::DynamoDB::Table", ComplianceResourceId: "test",
      ComplianceType: "NON_COMPLIANT", Annotation: "bench", OrderingTimestamp: new Date() }],
  }));
}
export { ConfigServiceClient };
`;

const CLIENT_SCRIPT = `
import { writeFileSync } from "node:fs";
const { ConfigServiceClient, putOne } = await import(process.env.BENCH_BUNDLE);
const client = new ConfigServiceClient({});
const runs = Number(process.env.BENCH_RUNS);
const times = [];
if (runs === 0) {
  await putOne(client);
  // CPU time since the process started (start-up, import, first event): what a shared machine's
  // load does not change. performance.now() would be wall time.
  const u = process.cpuUsage();
  times.push((u.user + u.system) / 1000);
} else {
  await putOne(client);
  for (let i = 0; i < runs; i++) {
    const t = process.cpuUsage();
    await putOne(client);
    const d = process.cpuUsage(t);
    times.push((d.user + d.system) / 1000);
  }
}
writeFileSync(process.env.RESULT_FILE, JSON.stringify(times));
`;

export async function figures(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), "bench-config-rule-"));
  const endpoint = await ConfigEndpoint.start();
  try {
    // The handler bundle as `npm run build` makes it, and the bare client bundled the same way.
    execFileSync(
      process.execPath,
      [join(ROOT, "build/bundle.mjs"), "--outdir", dir, "--entry", "config-rule", "--quiet"],
      {
        cwd: ROOT,
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
    writeFileSync(join(dir, "client-entry.mjs"), CLIENT_ENTRY);
    await esbuild.build({
      entryPoints: [join(dir, "client-entry.mjs")],
      outfile: join(dir, "client.mjs"),
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node22",
      mainFields: ["module", "main"],
      minify: true,
      nodePaths: [join(ROOT, "node_modules")],
      banner: {
        js: 'import{createRequire as __cjsRequire}from"node:module";const require=__cjsRequire(import.meta.url);',
      },
      logLevel: "error",
    });

    const env = {
      AWS_REGION: "eu-west-1",
      AWS_ENDPOINT_URL: endpoint.url,
      AWS_ACCESS_KEY_ID: "AKIDBENCH",
      AWS_SECRET_ACCESS_KEY: "bench",
      BENCH_EVENT: JSON.stringify(changeEvent()),
    };
    const handlerEnv = { ...env, BENCH_BUNDLE: pathToFileURL(join(dir, "config-rule.mjs")).href };
    const clientEnv = { ...env, BENCH_BUNDLE: pathToFileURL(join(dir, "client.mjs")).href };

    const warmHandler = median(
      await runChild(HANDLER_SCRIPT, { ...handlerEnv, BENCH_RUNS: String(WARM_RUNS) }, dir),
    );
    const warmPut = median(
      await runChild(CLIENT_SCRIPT, { ...clientEnv, BENCH_RUNS: String(WARM_RUNS) }, dir),
    );
    // Handler and client alternate, so that a change in the machine's speed reaches both.
    const cold = async (node?: string) => {
      const handler: number[] = [];
      const client: number[] = [];
      for (let i = 0; i < COLD_RUNS; i++) {
        handler.push(...(await runChild(HANDLER_SCRIPT, { ...handlerEnv, BENCH_RUNS: "0" }, dir, node)));
        client.push(...(await runChild(CLIENT_SCRIPT, { ...clientEnv, BENCH_RUNS: "0" }, dir, node)));
      }
      return { handler: median(handler), client: median(client) };
    };
    const bundleKb = readFileSync(join(dir, "config-rule.mjs")).byteLength / 1024;
    /** The cold start figure on one Node (`suffix` names another Node's figures apart). */
    const coldFigure = async (major: string, node?: string, suffix = "") => {
      const { handler, client } = await cold(node);
      return figure(
        `config-rule.cold-start${suffix}`,
        handler,
        "ms CPU",
        { name: `config-client.cold-start${suffix}`, value: client },
        `new process (Node ${major}): import the ${bundleKb.toFixed(0)} KiB bundle (one file, the parts the event does not need left as deflated text) + one change event to a rule scoped to dynamodb, against loading the bundled Config client + one PutEvaluations; median of ${COLD_RUNS}`,
      );
    };
    const out = [
      figure(
        "config-rule.change-event",
        warmHandler,
        "ms CPU",
        { name: "config.put-evaluations", value: warmPut },
        `warm handler, one DynamoDB change event end to end (local endpoint), median of ${WARM_RUNS}, against one bare PutEvaluations`,
      ),
      await coldFigure(process.versions.node.split(".")[0]!),
    ];
    // The Lambda runs a newer Node than the machine may have: BENCH_OTHER_NODE (the path of its
    // binary) measures the cold start on it as well, named with its major version.
    const otherNode = process.env.BENCH_OTHER_NODE;
    if (otherNode) {
      const major = execFileSync(otherNode, ["-p", "process.versions.node.split('.')[0]"], {
        encoding: "utf8",
      }).trim();
      out.push(await coldFigure(major, otherNode, `.${major}`));
    }
    return out;
  } finally {
    await endpoint.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
