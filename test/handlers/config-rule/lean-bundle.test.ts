// The Lambda bundles import only what runs: the validators generated at build time and the
// catalogue's run-time data, no schema compiler (Ajv's compiler, ajv-formats, fast-uri), no JSON
// parser with locations (jsonc-parser), no policy test cases. In the Config rule's bundle what runs
// only sometimes (the account item's SDK clients, each service's validators) is a chunk the bundle
// imports when it gets there.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { bundleFiles } from "../../../build/package.mjs";
import { ensureBundle, ROOT } from "./support/bundle.ts";

const BUNDLES = ["config-rule", "notifier"].map((name) => join(ROOT, `dist/handlers/${name}.mjs`));

function sourcesOf(bundle: string): string[] {
  return (JSON.parse(readFileSync(`${bundle}.map`, "utf8")) as { sources: string[] }).sources;
}

/** The sources of a bundle and of every chunk it imports: what its package carries. */
function packageSourcesOf(bundle: string): string[] {
  const dir = dirname(bundle);
  const modules = bundleFiles(dir, bundle.slice(dir.length + 1)).filter((f) => f.endsWith(".mjs"));
  return modules.flatMap((f) => sourcesOf(join(dir, f)));
}

/** The chunks the config-rule bundle imports, by path under dist/handlers/. */
function chunksOfConfigRule(): string[] {
  const dir = join(ROOT, "dist/handlers");
  return bundleFiles(dir, "config-rule.mjs").filter((f) => f.startsWith("chunks/") && f.endsWith(".mjs"));
}

describe("the Lambda bundles are lean", () => {
  it.each(BUNDLES)("%s carries no schema compiler, formats, URI parser or located JSON parser", (bundle) => {
    ensureBundle();
    const sources = packageSourcesOf(bundle);
    expect(sources.length).toBeGreaterThan(50);
    const offending = sources.filter((s) =>
      /node_modules\/(ajv\/(?!(dist|lib)\/runtime\/)|ajv-formats\/|fast-uri\/|jsonc-parser\/)/.test(s),
    );
    expect(offending).toEqual([]);
    // The engine's compiling modules stay out too.
    expect(sources.filter((s) => /engine\/(catalogue|waivers)\.ts$/.test(s))).toEqual([]);
    // The generated validators are in (Ajv's run-time helpers only).
    expect(sources.some((s) => s.includes("compliance-embedded:validators"))).toBe(true);
  });

  it("config-rule loads each service's validators from a chunk of their own, and carries none itself", () => {
    const dir = join(ROOT, "dist/handlers");
    const bundle = readFileSync(BUNDLES[0]!, "utf8");
    expect(sourcesOf(BUNDLES[0]!).filter((s) => s.includes("compliance-embedded:validators"))).toEqual([]);
    const validatorChunks = chunksOfConfigRule().filter((f) =>
      sourcesOf(join(dir, f)).some((s) => s.includes("compliance-embedded:validators/")),
    );
    // One per catalogue service with controls, each imported dynamically by the bundle.
    const services = new Set(
      validatorChunks.flatMap((f) =>
        sourcesOf(join(dir, f))
          .filter((s) => s.includes("compliance-embedded:validators/"))
          .map((s) => s.replace(/.*compliance-embedded:validators\//, "")),
      ),
    );
    expect(services.size).toBe(validatorChunks.length);
    for (const service of ["dynamodb", "s3", "iam", "account"]) expect(services).toContain(service);
    for (const chunk of validatorChunks) expect(bundle).toContain(`import("./${chunk}")`);
  });

  it.each(BUNDLES)("%s embeds no policy test cases", (bundle) => {
    const text = readFileSync(bundle, "utf8");
    expect(text).toContain("DDB.PITR");
    expect(text).not.toMatch(/\\?"cases\\?":/);
  });

  it("config-rule embeds no rationale, remediation or references (it never shows them); the notifier does", () => {
    const rationale = "Point-in-time recovery restores a table to any second of the last 35 days";
    const remediation = "Backups > Point-in-time recovery > Edit > Turn on.";
    const [configRule, notifier] = BUNDLES.map((bundle) => readFileSync(bundle, "utf8"));
    expect(configRule).toContain("DDB.PITR");
    expect(configRule).not.toContain(rationale);
    expect(configRule).not.toContain(remediation);
    expect(configRule).not.toMatch(/\\?"references\\?":/);
    expect(notifier).toContain(rationale);
    expect(notifier).toContain(remediation);
  });

  it("config-rule loads the account-level SDK clients from a chunk, only when the sweep reads the account", () => {
    const dir = join(ROOT, "dist/handlers");
    const accountClients =
      /node_modules\/@aws-sdk\/client-(securityhub|guardduty|s3-control|iam|accessanalyzer)\//;
    const entry = sourcesOf(BUNDLES[0]!);
    expect(entry.filter((s) => accountClients.test(s))).toEqual([]);
    expect(entry.some((s) => s.includes("@aws-sdk/client-config-service/"))).toBe(true);
    // The chunk with the account item reader carries them, and the bundle imports it dynamically.
    const chunks = bundleFiles(dir, "config-rule.mjs").filter(
      (f) => f.startsWith("chunks/") && f.endsWith(".mjs"),
    );
    const reader = chunks.find((f) => sourcesOf(join(dir, f)).some((s) => s.endsWith("account/item.ts")));
    expect(reader).toBeDefined();
    expect(sourcesOf(join(dir, reader!)).filter((s) => accountClients.test(s)).length).toBeGreaterThanOrEqual(
      5,
    );
    expect(readFileSync(BUNDLES[0]!, "utf8")).toContain(`import("./${reader}")`);
  });
});
