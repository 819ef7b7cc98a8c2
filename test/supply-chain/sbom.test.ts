// `npm run package` writes a CycloneDX SBOM beside each Lambda zip: exactly the npm packages the
// bundle carries (from its source map), valid against the CycloneDX 1.5 schema, and refuses a
// bundle that carries a package whose licence is not allowed.

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import CDX from "@cyclonedx/cyclonedx-library";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageHandlers } from "../../build/package.mjs";
import { bundledPackages, purl } from "../../build/sbom.mjs";
import { ensureBundle, HANDLERS } from "../support/bundles.ts";
import { ROOT } from "../support/cli.ts";

const temp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

describe("SBOM of the built config-rule bundle", () => {
  // The config-rule bundle `npm run build` wrote for the test run (test/support/bundles.ts), with
  // its source map, copied beside dist/handlers: at the same depth, the map's relative sources
  // name the same files.
  let built: string;
  let out: string;
  beforeAll(() => {
    ensureBundle();
    built = mkdtempSync(join(HANDLERS, "..", "sbom-test-"));
    for (const file of ["config-rule.mjs", "config-rule.mjs.map"]) {
      copyFileSync(join(HANDLERS, file), join(built, file));
    }
    out = temp("compliance-sbom-out-");
  });
  afterAll(() => rmSync(built, { recursive: true, force: true }));

  it("lists the packages inside the bundle, with versions and licences, and is valid CycloneDX 1.5", async () => {
    const packaged = (await packageHandlers(built, out)).find((p) => p.name === "config-rule");
    expect(packaged?.sbom?.components).toBeGreaterThan(5);
    const text = readFileSync(join(out, "config-rule.cdx.json"), "utf8");
    const validator = new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot5);
    expect(await validator.validate(text)).toBeNull();
    const bom = JSON.parse(text);
    const names: string[] = bom.components.map((c: { name: string }) => c.name);
    // What the rule runs on: the Config client and Ajv's runtime are inside; test-only tools are not.
    expect(names).toContain("@aws-sdk/client-config-service");
    expect(names).toContain("@aws-lambda-powertools/logger");
    // And what it keeps as text until needed (the account item's clients, compiled by the sweep).
    expect(names).toContain("@aws-sdk/client-securityhub");
    expect(names).not.toContain("vitest");
    expect(names).not.toContain("@cloud-copilot/iam-simulate");
    const sdk = bom.components.find((c: { name: string }) => c.name === "@aws-sdk/client-config-service");
    const installed = JSON.parse(
      readFileSync(join(ROOT, "node_modules/@aws-sdk/client-config-service/package.json"), "utf8"),
    );
    expect(sdk).toMatchObject({
      version: installed.version,
      purl: `pkg:npm/%40aws-sdk/client-config-service@${installed.version}`,
      licenses: [{ license: { id: "Apache-2.0" } }],
    });
  });

  it("gives the same bytes for the same bundle", async () => {
    await packageHandlers(built, out);
    const first = readFileSync(join(out, "config-rule.cdx.json"));
    const again = temp("compliance-sbom-again-");
    await packageHandlers(built, again);
    expect(readFileSync(join(again, "config-rule.cdx.json")).equals(first)).toBe(true);
  });
});

describe("a bundle that carries a copyleft package", () => {
  it("is refused by npm run package, naming the package and its licence", async () => {
    const root = temp("compliance-sbom-gpl-");
    const pkg = join(root, "node_modules", "copyleft-lib");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(
      join(pkg, "package.json"),
      JSON.stringify({ name: "copyleft-lib", version: "1.2.3", license: "GPL-3.0-only" }),
    );
    const bundles = join(root, "dist");
    mkdirSync(bundles);
    writeFileSync(join(bundles, "rule.mjs"), "export const handler = () => 1;\n");
    writeFileSync(
      join(bundles, "rule.mjs.map"),
      JSON.stringify({ version: 3, sources: ["../node_modules/copyleft-lib/index.js"], mappings: "" }),
    );
    expect(bundledPackages(join(bundles, "rule.mjs.map"))).toEqual([
      { name: "copyleft-lib", version: "1.2.3", licence: "GPL-3.0-only" },
    ]);
    await expect(packageHandlers(bundles, join(root, "out"))).rejects.toThrow(
      "rule.mjs: carries packages whose licence is not allowed at run time: copyleft-lib@1.2.3 (GPL-3.0-only)",
    );
  });

  it("scoped packages keep their scope in the package URL", () => {
    expect(purl({ name: "@aws-sdk/client-sns", version: "3.1.0" })).toBe(
      "pkg:npm/%40aws-sdk/client-sns@3.1.0",
    );
  });
});
