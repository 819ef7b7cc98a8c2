// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not JavaScript templates
// Checks of the generated templates as CloudFormation would make them before deploying: types and
// properties against the CloudFormation specification, references, sizes, least privilege.

import { describe, expect, it } from "vitest";
import { minifyTemplate, type Template } from "../../deploy/cfn.ts";
import { byteLength, MAX_TEMPLATE_BODY_BYTES } from "../../deploy/management-template.ts";
import { PREFIX } from "../../deploy/names.ts";
import { readScpSettings } from "../../deploy/scp-settings.ts";
import { synthesise } from "../../deploy/synth.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";
import { leastPrivilegeProblems, policyDocuments } from "./iam-checks.ts";
import { referenceProblems, specProblems, subVariables } from "./template-checks.ts";

const catalogue = repositoryCatalogue();
const { templates } = synthesise(catalogue, readScpSettings());
const all = Object.entries(templates) as [string, Template][];

/** The largest template CloudFormation takes from S3 (TemplateURL), in bytes. */
const MAX_TEMPLATE_URL_BYTES = 1_000_000;

describe.each(all)("the %s template", (_name, template) => {
  it("uses only resource types and properties of the CloudFormation specification, with the right types", async () => {
    expect(await specProblems(template)).toEqual([]);
  }, 20_000);

  it("resolves every Ref, Fn::GetAtt, Fn::Sub, DependsOn and condition", async () => {
    expect(await referenceProblems(template)).toEqual([]);
  }, 20_000);

  it("allows neither * nor a whole service, names only real actions, and uses Resource * only where IAM has no resource-level permissions", async () => {
    const problems = [];
    for (const policy of policyDocuments(template)) problems.push(...(await leastPrivilegeProblems(policy)));
    expect(problems).toEqual([]);
  });

  it("names every named resource with the engine's prefix, so the SCP protects it", () => {
    const nameProperties = [
      "FunctionName",
      "RoleName",
      "TopicName",
      "QueueName",
      "TableName",
      "ConfigRuleName",
      "StackSetName",
    ];
    for (const [id, resource] of Object.entries(template.Resources)) {
      const properties = resource.Properties as Record<string, unknown>;
      for (const key of nameProperties) {
        if (!(key in properties)) continue;
        const value = properties[key] as string | { "Fn::Sub"?: string };
        // A reference to another resource (a permission's FunctionName) is checked where it is defined.
        const text = typeof value === "string" ? value : value["Fn::Sub"];
        if (text === undefined) continue;
        expect(text.startsWith(PREFIX), `${id}.${key} = ${text}`).toBe(true);
      }
      if (resource.Type === "AWS::Events::Rule" || resource.Type === "AWS::Events::EventBus") {
        expect(String(properties.Name).startsWith(PREFIX), `${id}.Name`).toBe(true);
      }
    }
  });

  it("fits CloudFormation's template size limit for S3 templates", () => {
    expect(byteLength(JSON.stringify(template))).toBeLessThanOrEqual(MAX_TEMPLATE_URL_BYTES);
  });
});

describe("the template checks themselves", () => {
  it("catch an unknown property, a wrong type and an unresolved reference", async () => {
    const broken: Template = {
      AWSTemplateFormatVersion: "2010-09-09",
      Description: "broken on purpose",
      Resources: {
        Queue: {
          Type: "AWS::SQS::Queue",
          Properties: { QueueName: "x", VisibilityTimeOut: 30, DelaySeconds: "soon" },
        },
        Topic: { Type: "AWS::SNS::Topic", Properties: { KmsMasterKeyId: { Ref: "MissingKey" } } },
        Sub: {
          Type: "AWS::SNS::Topic",
          Properties: { DisplayName: { "Fn::Sub": "${Queue.NoSuchAttribute}-${AWS::Region}" } },
        },
      },
    };
    const spec = await specProblems(broken);
    expect(spec.some((p) => p.includes("VisibilityTimeOut: no such property"))).toBe(true);
    expect(spec.some((p) => p.includes("DelaySeconds: expected integer"))).toBe(true);
    const refs = await referenceProblems(broken);
    expect(refs.some((p) => p.includes('Ref "MissingKey"'))).toBe(true);
    expect(refs.some((p) => p.includes("Queue.NoSuchAttribute"))).toBe(true);
    expect(subVariables("${A}-${!Literal}-${B.Arn}")).toEqual(["A", "B.Arn"]);
  }, 20_000);

  it("catch an Allow of a whole service and a needless Resource *", async () => {
    const problems = await leastPrivilegeProblems({
      where: "Role",
      kind: "identity",
      document: {
        Statement: [
          { Effect: "Allow", Action: ["s3:*"], Resource: "arn:aws:s3:::b" },
          { Effect: "Allow", Action: ["sns:Publish"], Resource: "*" },
          { Effect: "Allow", Action: ["*"], Resource: "*" },
        ],
      },
    });
    expect(problems).toEqual([
      "Role/Statement/0: allows s3:*",
      'Role/Statement/1: sns:Publish supports resource-level permissions but is granted on "*"',
      "Role/Statement/2: allows *",
    ]);
  });
});

describe("the StackSet's TemplateBody", () => {
  it("is the member template, minified, within 51,200 bytes", () => {
    const body = templates.management.Resources.MemberStackSet!.Properties.TemplateBody as string;
    expect(body).toBe(minifyTemplate(templates.member));
    expect(byteLength(body)).toBeLessThanOrEqual(MAX_TEMPLATE_BODY_BYTES);
  });
});
