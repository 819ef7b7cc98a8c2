// Benchmarks of the hook and notifier bundles' cold start, each against a new process that loads
// nothing (the same child script without the import), medians of alternating runs, measured
// inside each process as its CPU time since it started (user + system), so process start-up
// counts for both and other work on the machine does not:
//   - hook.cold-start: import dist/handlers/hook.mjs (one file; each service's validators are
//     deflated text in it) and judge one CloudFormation request for a DynamoDB table, which
//     compiles the dynamodb validators and no other service's;
//   - notifier.module-load: import dist/handlers/notifier.mjs (the control texts, no validator):
//     its first event also creates the SDK clients and calls SNS, Organizations and DynamoDB,
//     which a bare process has no counterpart for, so the figure is the module's load alone.
// The Config rule's cold start against a bare Config client is bench/config-rule.ts.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Figure, figure, median, runChild } from "./figure.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const RUNS = 9;

/** A request for a table without point-in-time recovery, as CloudFormation sends a Lambda hook. */
const HOOK_REQUEST = {
  clientRequestToken: "bench",
  awsAccountId: "111122223333",
  stackId: "arn:aws:cloudformation:eu-west-1:111122223333:stack/orders/1a2345b6-0000-00a0-a123-00abc0abc000",
  actionInvocationPoint: "CREATE_PRE_PROVISION",
  requestData: {
    targetName: "AWS::DynamoDB::Table",
    targetType: "AWS::DynamoDB::Table",
    targetLogicalId: "Orders",
    targetModel: {
      resourceProperties: {
        TableName: "orders",
        BillingMode: "PAY_PER_REQUEST",
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: "false" },
      },
      previousResourceProperties: null,
    },
  },
};

// Imports BENCH_BUNDLE when set and, with BENCH_EVENT, calls its handler once; writes the
// process's CPU time since it started to RESULT_FILE.
const CHILD = `
import { writeFileSync } from "node:fs";
if (process.env.BENCH_BUNDLE) {
  const module = await import(process.env.BENCH_BUNDLE);
  if (process.env.BENCH_EVENT) {
    const response = await module.handler(JSON.parse(process.env.BENCH_EVENT));
    if (response?.hookStatus !== "FAILED") throw new Error("unexpected response " + JSON.stringify(response));
  }
}
const u = process.cpuUsage();
writeFileSync(process.env.RESULT_FILE, JSON.stringify([(u.user + u.system) / 1000]));
`;

/** CPU milliseconds of one new process running CHILD with `env`. */
async function cpuOfChild(env: Record<string, string>, dir: string): Promise<number> {
  const [ms] = await runChild(CHILD, { AWS_REGION: "eu-west-1", CIA_RATING: "C3I3A3", ...env }, dir);
  return ms!;
}

export async function figures(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), "bench-handlers-"));
  try {
    execFileSync(
      process.execPath,
      [join(ROOT, "build/bundle.mjs"), "--outdir", dir, "--entry", "hook", "--entry", "notifier", "--quiet"],
      { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] },
    );
    const hook = {
      BENCH_BUNDLE: pathToFileURL(join(dir, "hook.mjs")).href,
      BENCH_EVENT: JSON.stringify(HOOK_REQUEST),
    };
    const notifier = { BENCH_BUNDLE: pathToFileURL(join(dir, "notifier.mjs")).href };
    const samples = { hook: [] as number[], notifier: [] as number[], bare: [] as number[] };
    // In turns, so that a change in the machine's speed reaches all three.
    for (let i = 0; i < RUNS; i++) {
      samples.bare.push(await cpuOfChild({}, dir));
      samples.hook.push(await cpuOfChild(hook, dir));
      samples.notifier.push(await cpuOfChild(notifier, dir));
    }
    const bare = { name: "node.start (an ES module that loads nothing)", value: median(samples.bare) };
    const kb = (name: string) => (readFileSync(join(dir, name)).byteLength / 1024).toFixed(0);
    return [
      figure(
        "hook.cold-start",
        median(samples.hook),
        "ms CPU",
        bare,
        `new process: import the ${kb("hook.mjs")} KiB bundle + judge one DynamoDB table request (compiles the dynamodb validators); median of ${RUNS}`,
      ),
      figure(
        "notifier.module-load",
        median(samples.notifier),
        "ms CPU",
        bare,
        `new process: import the ${kb("notifier.mjs")} KiB bundle (control texts, no validator); median of ${RUNS}`,
      ),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
