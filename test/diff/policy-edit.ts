// Helpers for diff tests: a DynamoDB policy to edit (te../fixtures/policies/dynamodb.json, the
// repository's first DynamoDB policy, kept fixed so these tests do not move with the catalogue),
// and a table item placed in an account (the real item from test/fixtures/ci).

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Catalogue, checkCatalogue, type PolicySource } from "../../engine/catalogue.ts";

export interface PolicyFile {
  service: string;
  title: string;
  iamPrefixes: string[];
  resourceTypes: string[];
  controls: Record<string, unknown>[];
  [key: string]: unknown;
}

export const POLICY_FIXTURE = fileURLToPath(new URL("../fixtures/policies/dynamodb.json", import.meta.url));

export const dynamodbSource = (): PolicySource => ({
  file: "policies/dynamodb.json",
  text: readFileSync(POLICY_FIXTURE, "utf8"),
});

export const dynamodbPolicy = (): PolicyFile => JSON.parse(dynamodbSource().text) as PolicyFile;

export const control = (policy: PolicyFile, id: string): Record<string, unknown> =>
  policy.controls.find((c) => c.id === id)!;

/** A control that the recorded table passes: its status is ACTIVE. */
export function activeTableControl(): Record<string, unknown> {
  const base = control(dynamodbPolicy(), "DDB.ON-DEMAND");
  return {
    ...base,
    id: "DDB.ACTIVE",
    title: "Tables are active",
    severity: "low",
    cia: { a: 1 },
    check: {
      type: "object",
      required: ["configuration"],
      properties: {
        configuration: {
          type: "object",
          required: ["tableStatus"],
          properties: { tableStatus: { const: "ACTIVE" } },
        },
      },
    },
    cases: [
      { name: "active", expect: "PASS", fixture: "AWS_DynamoDB_Table/rdk-sample-ci.json" },
      {
        name: "being deleted",
        expect: "FAIL",
        fixture: "AWS_DynamoDB_Table/rdk-sample-ci.json",
        set: { "/configuration/tableStatus": "DELETING" },
      },
    ],
  };
}

export function catalogueOf(...policies: PolicyFile[]): Catalogue {
  const { catalogue, problems } = checkCatalogue(
    policies.map((p) => ({ file: `policies/${p.service}.json`, text: JSON.stringify(p, null, 2) })),
  );
  const errors = problems.filter((p) => p.level === "error");
  if (errors.length) throw new Error(errors.map((e) => e.message).join("; "));
  return catalogue;
}

const TABLE = fileURLToPath(new URL("../fixtures/ci/AWS_DynamoDB_Table/rdk-sample-ci.json", import.meta.url));

/** The recorded table (PITR disabled, on-demand) as an API-shape item in `accountId`. */
export function tableIn(accountId: string, name = "test"): Record<string, unknown> {
  const raw = JSON.parse(readFileSync(TABLE, "utf8")) as Record<string, unknown>;
  raw.accountId = accountId;
  raw.resourceId = name;
  raw.resourceName = name;
  raw.arn = `arn:aws:dynamodb:us-east-2:${accountId}:table/${name}`;
  return raw;
}
