// Licences: what ships (the production install and every package inside a Lambda bundle) is under
// a permissive licence; copyleft packages stay test-only devDependencies.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { declaredLicence, isAllowedLicence, productionPackages } from "../../build/licences.mjs";
import { ROOT } from "../support/cli.ts";

describe("the licence allow-list", () => {
  it.each([
    ["MIT", true],
    ["Apache-2.0", true],
    ["MIT-0", true],
    ["BSD-3-Clause", true],
    ["(MIT OR Apache-2.0)", true],
    ["(MIT OR GPL-3.0-or-later)", true],
    ["MIT AND ISC", true],
    ["Apache-2.0 WITH LLVM-exception", true],
    ["GPL-3.0-only", false],
    ["AGPL-3.0-or-later", false],
    ["LGPL-2.1", false],
    ["MIT AND GPL-2.0", false],
    ["(MIT OR Apache-2.0) AND SSPL-1.0", false],
    ["UNLICENSED", false],
    ["SEE LICENSE IN LICENSE.md", false],
    ["", false],
    ["(MIT", false],
  ])("%s allowed: %s", (expression, allowed) => {
    expect(isAllowedLicence(expression)).toBe(allowed);
  });

  it("reads the licence the way package.json files write it", () => {
    expect(declaredLicence({ license: "ISC" })).toBe("ISC");
    expect(declaredLicence({ license: { type: "MIT" } })).toBe("MIT");
    expect(declaredLicence({ licenses: [{ type: "MIT" }, { type: "Apache-2.0" }] })).toBe(
      "(MIT OR Apache-2.0)",
    );
    expect(declaredLicence({})).toBeUndefined();
  });
});

describe("this project's dependencies", () => {
  const production = productionPackages(ROOT);

  it("every package of the production install has an allowed licence", () => {
    expect(production.length).toBeGreaterThan(20);
    const refused = production
      .filter((p) => !isAllowedLicence(p.licence))
      .map((p) => `${p.name} ${p.licence}`);
    expect(refused).toEqual([]);
  });

  it("the copyleft IAM simulator the SCP tests use is a devDependency, never installed for production", () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(Object.keys(manifest.dependencies)).not.toContain("@cloud-copilot/iam-simulate");
    expect(manifest.devDependencies["@cloud-copilot/iam-simulate"]).toBeDefined();
    expect(production.map((p) => p.name)).not.toContain("@cloud-copilot/iam-simulate");
  });
});
