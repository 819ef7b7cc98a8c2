// The built Config rule bundle on hostile items: an own "__proto__" key and a policy document
// the decoder cannot read are NON_COMPLIANT in the evaluation it writes, as in the engine.

import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigEndpoint, resourceKey } from "../../support/config-endpoint.ts";
import { ensureBundle } from "./support/bundle.ts";
import { changeEvent } from "./support/events.ts";
import { handlerEnv, Lambda } from "./support/lambda.ts";

type Raw = Record<string, unknown>;
let endpoint: ConfigEndpoint;
let lambda: Lambda;

beforeAll(async () => {
  ensureBundle();
  endpoint = await ConfigEndpoint.start();
  lambda = await Lambda.start(handlerEnv(endpoint.url));
});
afterAll(async () => {
  await lambda.stop();
  await endpoint.close();
});

const fixture = (path: string): Raw => JSON.parse(readFileSync(`policies/fixtures/${path}`, "utf8")) as Raw;

/** Sends the item (JSON text, so "__proto__" is an own key) and returns what the rule wrote. */
async function written(rule: string, itemText: string) {
  const item = JSON.parse(itemText) as Raw;
  await lambda.invoke(changeEvent(item, { rule, resultToken: endpoint.tokenFor(rule) }));
  return endpoint.evaluationsOf(rule).get(resourceKey(String(item.resourceType), String(item.resourceId)));
}

describe("dist/handlers/config-rule.mjs on hostile items", () => {
  it("a table whose PITR, deletion protection and CMK sit under __proto__ is NON_COMPLIANT", async () => {
    const table = fixture("AWS_DynamoDB_Table/rdk-sample-ci.json");
    const configuration = { ...(table.configuration as Raw) };
    delete configuration.deletionProtectionEnabled;
    delete configuration.ssedescription;
    const bait = {
      deletionProtectionEnabled: true,
      ssedescription: {
        status: "ENABLED",
        ssetype: "KMS",
        kmsmasterKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      },
    };
    const text = JSON.stringify({ ...table, configuration }).replace(
      '"configuration":{',
      `"configuration":{"__proto__":${JSON.stringify(bait)},`,
    );
    const evaluation = await written("hostile-proto", text);
    expect(evaluation?.complianceType).toBe("NON_COMPLIANT");
    expect(evaluation?.annotation).toMatch(/DDB\.(DELETION-PROTECTION|CMK|PITR)/);
  });

  it("a function with a form-encoded public policy is NON_COMPLIANT, the annotation says why", async () => {
    const fn = fixture("AWS_Lambda_Function/rdk-sample-ci.json");
    const statement = [{ Effect: "Allow", Principal: "*", Action: "lambda:InvokeFunction", Resource: "*" }];
    const policy = `Version=2012-10-17&Statement=${encodeURIComponent(JSON.stringify(statement))}`;
    const supplementaryConfiguration = { ...(fn.supplementaryConfiguration as Raw), Policy: policy };
    const evaluation = await written("hostile-policy", JSON.stringify({ ...fn, supplementaryConfiguration }));
    expect(evaluation?.complianceType).toBe("NON_COMPLIANT");
    expect(evaluation?.annotation).toContain("LAMBDA.NO-PUBLIC-POLICY");
    expect(evaluation?.annotation).toContain("cannot be decoded");
  });
});
