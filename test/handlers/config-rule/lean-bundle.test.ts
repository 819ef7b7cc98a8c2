// The Lambda bundles import only what runs: the validators generated at build time (none in the
// notifier, which evaluates nothing) and the catalogue's run-time data, no schema compiler (Ajv's
// compiler, ajv-formats, fast-uri), no JSON parser with locations (jsonc-parser), no policy test
// cases. The Config rule's bundle is one file, and what runs only sometimes (each service's
// validators, the account item's SDK clients) is deflated text in it, inflated and compiled the
// first time an invocation needs it.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleFiles } from "../../../build/package.mjs";
import { lazyParts } from "../../../build/single-file.mjs";
import { AccountEndpoint, accountEndpointEnv } from "../../support/account-endpoint.ts";
import { ConfigEndpoint } from "../../support/config-endpoint.ts";
import { readFixture } from "../../support/fixtures.ts";
import { ACCOUNT_ID, cleanAccount, cleanRecorder } from "./support/account.ts";
import { bundleText, ensureBundle, ROOT } from "./support/bundle.ts";
import { changeEvent, scheduledEvent } from "./support/events.ts";
import { sourceCatalogue } from "./support/expected.ts";
import { handlerEnv, Lambda } from "./support/lambda.ts";
import {
  partsCompiled,
  recordingWrapper,
  type SourceMap,
  sourcesOf,
  validatorServices,
} from "./support/parts.ts";

const BUNDLES = ["config-rule", "notifier"].map((name) => join(ROOT, `dist/handlers/${name}.mjs`));

describe("the Lambda bundles are lean", () => {
  it.each(BUNDLES)("%s carries no schema compiler, formats, URI parser or located JSON parser", (bundle) => {
    ensureBundle();
    const sources = sourcesOf(bundle);
    expect(sources.length).toBeGreaterThan(50);
    const offending = sources.filter((s) =>
      /node_modules\/(ajv\/(?!(dist|lib)\/runtime\/)|ajv-formats\/|fast-uri\/|jsonc-parser\/)/.test(s),
    );
    expect(offending).toEqual([]);
    // The engine's compiling modules stay out too.
    expect(sources.filter((s) => /engine\/(catalogue|waivers)\.ts$/.test(s))).toEqual([]);
  });

  it("config-rule carries the generated validators (Ajv's run-time helpers only)", () => {
    expect(sourcesOf(BUNDLES[0]!).some((s) => s.includes("compliance-embedded:validators"))).toBe(true);
  });

  it("the notifier, which shows controls and evaluates none, carries no validator, no RE2 engine, no zod", () => {
    const sources = sourcesOf(BUNDLES[1]!);
    expect(sources).toContain("compliance-embedded:embedded-policies");
    expect(sources.filter((s) => /compliance-embedded:(validators|embedded-catalogue)/.test(s))).toEqual([]);
    expect(sources.filter((s) => /node_modules\/(ajv|re2js|zod)\//.test(s))).toEqual([]);
    // What it shows of a control is there: its title.
    expect(bundleText(BUNDLES[1]!)).toContain("Tables have point-in-time recovery enabled");
  });

  it("config-rule's source map maps its code to the sources, a section per embedded module", () => {
    const map = JSON.parse(readFileSync(`${BUNDLES[0]!}.map`, "utf8")) as SourceMap;
    const handlerSection = map.sections?.find((s) =>
      s.map.sources?.some((f) => f.endsWith("handlers/config-rule.ts")),
    );
    expect(handlerSection).toBeDefined();
    expect((handlerSection!.map as { mappings?: string }).mappings?.length).toBeGreaterThan(100);
    // Sections in file order (what the format requires).
    const lines = map.sections!.map((s) => s.offset.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it("config-rule is one file: its package holds it and its source map, nothing it imports", () => {
    const dir = dirname(BUNDLES[0]!);
    expect(bundleFiles(dir, "config-rule.mjs")).toEqual(["config-rule.mjs", "config-rule.mjs.map"]);
    const text = readFileSync(BUNDLES[0]!, "utf8");
    expect(text).not.toMatch(/\bfrom\s*"\.\.?\//);
    expect(text).not.toMatch(/\bimport\s*\(/);
  });

  it.each(BUNDLES)("%s embeds no policy test cases", (bundle) => {
    const text = bundleText(bundle);
    expect(text).toContain("DDB.PITR");
    expect(text).not.toMatch(/\\?"cases\\?":/);
  });

  it("config-rule embeds no rationale, remediation or references (it never shows them); the notifier does", () => {
    const rationale = "Point-in-time recovery restores a table to any second of the last 35 days";
    const remediation = "Backups > Point-in-time recovery > Edit > Turn on.";
    const [configRule, notifier] = BUNDLES.map((bundle) => bundleText(bundle));
    expect(configRule).toContain("DDB.PITR");
    expect(configRule).not.toContain(rationale);
    expect(configRule).not.toContain(remediation);
    expect(configRule).not.toMatch(/\\?"references\\?":/);
    expect(notifier).toContain(rationale);
    expect(notifier).toContain(remediation);
  });

  it("config-rule carries the account-level SDK clients, and every service's validators, as text", () => {
    const text = readFileSync(BUNDLES[0]!, "utf8");
    const sources = sourcesOf(BUNDLES[0]!);
    // The source map lists them (the SBOM reads it): the clients and the generated validators.
    const accountClients =
      /node_modules\/@aws-sdk\/client-(securityhub|guardduty|s3-control|iam|accessanalyzer|ssm|account)\//;
    const clients = new Set(
      sources.filter((s) => accountClients.test(s)).map((s) => s.split("/client-")[1]?.split("/")[0]),
    );
    expect(clients.size).toBe(7);
    expect(sources.some((s) => s.endsWith("account/item.ts"))).toBe(true);
    for (const service of ["dynamodb", "s3", "iam", "account"])
      expect(sources).toContain(`compliance-embedded:validators/${service}`);
    // The reader's part is data of the module table (deflated text), not code of the file; the
    // dynamodb validators' part holds their generated code (the property paths they check).
    expect(text).toMatch(/"[^"]*reader-[A-Z0-9]+\.mjs":\{deflated:"/);
    expect(text).not.toContain('"pointInTimeRecoveryStatus"');
    const parts = lazyParts(text);
    expect(parts.some((p) => /reader-[A-Z0-9]+\.mjs$/.test(p.id))).toBe(true);
    expect(parts.find((p) => /(^|\/)dynamodb-[A-Z0-9]+\.mjs$/.test(p.id))?.text).toContain(
      '"pointInTimeRecoveryStatus"',
    );
  });
});

describe("the Config rule compiles a part of its bundle only when an invocation needs it", () => {
  let dir: string;
  let config: ConfigEndpoint;
  let account: AccountEndpoint;
  const services = new Set(sourceCatalogue().catalogue.controls.map((c) => c.service));

  beforeAll(async () => {
    ensureBundle();
    dir = mkdtempSync(join(tmpdir(), "config-rule-parts-"));
    config = await ConfigEndpoint.start();
    account = await AccountEndpoint.start(cleanAccount(new Date()));
  });
  afterAll(async () => {
    await account?.close();
    await config?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a change event to a rule scoped to dynamodb compiles the dynamodb validators, no other service's, no account reader", async () => {
    const lambda = await Lambda.start(handlerEnv(config.url), recordingWrapper(dir, BUNDLES[0]!));
    try {
      // The cold start compiles no part.
      expect(lambda.logs.filter((l) => l.message === "parts compiled")).toEqual([
        { message: "parts compiled", parts: [] },
      ]);
      const table = readFixture("ci/AWS_DynamoDB_Table/rdk-sample-ci.json");
      const scoped = { resultToken: "t", ruleParameters: { service: "dynamodb", ciaRating: "C3I3A3" } };
      const outcome = await lambda.invoke(changeEvent(table, scoped));
      expect(outcome).toMatchObject({ status: "evaluated", written: 1 });
      const parts = partsCompiled(lambda);
      expect(validatorServices(parts, services)).toEqual(["dynamodb"]);
      expect(parts.filter((p) => /reader-/.test(p))).toEqual([]);
      // A second event compiles nothing more.
      await lambda.invoke(changeEvent(table, scoped));
      expect(partsCompiled(lambda)).toEqual(parts);
    } finally {
      await lambda.stop();
    }
  });

  it("the account rule's sweep compiles the account reader and the account validators", async () => {
    config.reset();
    config.recorder = cleanRecorder();
    const env = handlerEnv(config.url, accountEndpointEnv(account.url));
    const lambda = await Lambda.start(env, recordingWrapper(dir, BUNDLES[0]!));
    try {
      const outcome = await lambda.invoke(
        scheduledEvent({
          rule: "compliance-account",
          accountId: ACCOUNT_ID,
          resultToken: config.tokenFor("compliance-account"),
          ruleParameters: { service: "account", ciaRating: "C3I3A3" },
        }),
      );
      expect(outcome).toMatchObject({ status: "evaluated", written: 1 });
      const parts = partsCompiled(lambda);
      expect(validatorServices(parts, services)).toEqual(["account"]);
      expect(parts.filter((p) => /reader-/.test(p))).toHaveLength(1);
    } finally {
      await lambda.stop();
    }
  });
});
