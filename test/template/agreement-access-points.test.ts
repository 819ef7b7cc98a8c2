// Proactive and detective agree for global endpoints, S3 access points and Multi-Region Access
// Points. No public configuration item of these types exists: the detective side uses the PASS
// item of the type's own control (policies/, shaped after AWS Config's resource schema), beside a
// template describing the same resource; changes are written twice (the template property a team
// would edit, and what AWS Config would record). Same harness as agreement-mappers.test.ts.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bothPaths, type Case, catalogue, conf, type Obj, props } from "./support/both-paths.ts";

/** The item of a control's first case (its PASS case, built after the resource schema). */
function controlItem(id: string): Obj {
  const control = catalogue.controls.find((c) => c.id === id);
  const item = control?.cases[0]?.item;
  if (!item) throw new Error(`${id} has no inline item`);
  return structuredClone(item) as Obj;
}

const ALL_ON = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};
const pab = (i: Obj) => conf(i).PublicAccessBlockConfiguration as Obj;

const endpoint: Case = {
  type: "AWS::Events::Endpoint",
  account: "111111111111",
  region: "eu-west-1",
  item: controlItem("EVENTS.ENDPOINT-REPLICATION"),
  template: {
    Resources: {
      Endpoint: {
        Type: "AWS::Events::Endpoint",
        Properties: {
          Name: "payments-global",
          RoleArn: "arn:aws:iam::111111111111:role/payments-global-endpoint-replication",
          EventBuses: [
            { EventBusArn: "arn:aws:events:eu-west-1:111111111111:event-bus/payments" },
            { EventBusArn: "arn:aws:events:eu-central-1:111111111111:event-bus/payments" },
          ],
          RoutingConfig: {
            FailoverConfig: {
              Primary: { HealthCheck: "arn:aws:route53:::healthcheck/0b7c6a8e-2d4f-4a1b-9c3e-5f6a7b8c9d0e" },
              Secondary: { Route: "eu-central-1" },
            },
          },
        },
      },
    },
  },
  changes: [
    {
      name: "replication disabled",
      template: (t) => {
        props(t, "Endpoint").ReplicationConfig = { State: "DISABLED" };
      },
      item: (i) => {
        conf(i).ReplicationConfig = { State: "DISABLED" };
      },
    },
  ],
};

const accessPoint: Case = {
  type: "AWS::S3::AccessPoint",
  account: "111111111111",
  region: "eu-west-1",
  item: controlItem("S3.ACCESS-POINT-PUBLIC-ACCESS-BLOCK"),
  // No PublicAccessBlockConfiguration: all four default to true.
  template: {
    Resources: {
      AccessPoint: {
        Type: "AWS::S3::AccessPoint",
        Properties: { Name: "payments-reports", Bucket: "payments-reports-111111111111" },
      },
    },
  },
  changes: [
    {
      name: "public policies honoured",
      template: (t) => {
        props(t, "AccessPoint").PublicAccessBlockConfiguration = {
          BlockPublicPolicy: false,
          RestrictPublicBuckets: "false",
        };
      },
      item: (i) => {
        Object.assign(pab(i), { BlockPublicPolicy: false, RestrictPublicBuckets: false });
      },
    },
    {
      name: "public ACLs not ignored",
      template: (t) => {
        const p = props(t, "AccessPoint");
        p.PublicAccessBlockConfiguration = {
          ...(p.PublicAccessBlockConfiguration as Obj),
          IgnorePublicAcls: false,
        };
      },
      item: (i) => {
        pab(i).IgnorePublicAcls = false;
      },
    },
  ],
};

const multiRegion: Case = {
  type: "AWS::S3::MultiRegionAccessPoint",
  account: "111111111111",
  region: "us-west-2",
  item: controlItem("S3.MRAP-PUBLIC-ACCESS-BLOCK"),
  template: {
    Resources: {
      Mrap: {
        Type: "AWS::S3::MultiRegionAccessPoint",
        Properties: {
          Name: "payments-archive",
          Regions: [
            { Bucket: "payments-archive-eu-west-1-111111111111" },
            { Bucket: "payments-archive-eu-central-1-111111111111" },
          ],
          PublicAccessBlockConfiguration: ALL_ON,
        },
      },
    },
  },
  changes: [
    {
      name: "public ACLs accepted",
      template: (t) => {
        props(t, "Mrap").PublicAccessBlockConfiguration = { ...ALL_ON, BlockPublicAcls: false };
      },
      item: (i) => {
        pab(i).BlockPublicAcls = false;
      },
    },
    {
      name: "settings left out (all default to true)",
      template: (t) => {
        delete props(t, "Mrap").PublicAccessBlockConfiguration;
      },
      // Applied after "public ACLs accepted" in a combination: both sides are back to all four on.
      item: (i) => {
        conf(i).PublicAccessBlockConfiguration = { ...ALL_ON };
      },
      moves: false,
    },
  ],
};

const CASES = [endpoint, accessPoint, multiRegion];

describe("the endpoint and access point mappers agree with the detective path", () => {
  it.each(CASES.map((c) => [c.type, c] as const))("%s as described", (_type, c) => {
    const { template, detective, compliance } = bothPaths(c, []);
    expect(Object.keys(template).length).toBeGreaterThan(0);
    expect(Object.values(template)).not.toContain("UNKNOWN");
    expect(template).toEqual(detective);
    expect(compliance[0]).toBe(compliance[1]);
  });

  it.each(CASES.flatMap((c) => c.changes.map((change) => [`${c.type}: ${change.name}`, c, change] as const)))(
    "%s",
    (_name, c, change) => {
      const before = bothPaths(c, []);
      const after = bothPaths(c, [change]);
      expect(after.template).toEqual(after.detective);
      if (change.moves !== false) expect(after.detective).not.toEqual(before.detective);
    },
  );

  it.each(CASES.map((c) => [c.type, c] as const))(
    "%s: any combination of changes (property test)",
    (_type, c) => {
      fc.assert(
        fc.property(fc.subarray(c.changes), (chosen) => {
          const { template, detective, compliance } = bothPaths(c, chosen);
          expect(template).toEqual(detective);
          expect(compliance[0]).toBe(compliance[1]);
        }),
        { seed: 20261202, numRuns: 10 },
      );
    },
  );
});
