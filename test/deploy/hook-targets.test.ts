// The member template's CloudFormation hook targets CloudFormation type names (a template's
// `Type`), never the AWS Config types the controls are written for: `AWS::ACM::Certificate` is
// created as `AWS::CertificateManager::Certificate`, and a Config-only type such as
// `AWS::S3::AccountPublicAccessBlock` is never a template resource.

import { describe, expect, it } from "vitest";
import type { Template } from "../../deploy/cfn.ts";
import { readScpSettings } from "../../deploy/scp-settings.ts";
import { synthesise } from "../../deploy/synth.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";
import { isCloudFormationType } from "./template-checks.ts";

const { templates } = synthesise(repositoryCatalogue(), readScpSettings());

function hookTargets(template: Template): string[] {
  const hook = Object.values(template.Resources).find((r) => r.Type === "AWS::CloudFormation::LambdaHook");
  const targets = (hook?.Properties?.TargetFilters as { Targets: { TargetName: string }[] } | undefined)
    ?.Targets;
  return [...new Set((targets ?? []).map((t) => t.TargetName))].sort();
}

describe("the CloudFormation hook's targets", () => {
  const names = hookTargets(templates.member as Template);

  it("are CloudFormation resource types, each in the specification", async () => {
    expect(names.length).toBeGreaterThan(10);
    const unknown: string[] = [];
    for (const name of names) if (!(await isCloudFormationType(name))) unknown.push(name);
    expect(unknown).toEqual([]);
  }, 30_000);

  it("cover the types whose Config name differs from their template name", () => {
    expect(names).toContain("AWS::CertificateManager::Certificate");
    expect(names).toContain("AWS::IAM::ManagedPolicy");
    expect(names).not.toContain("AWS::ACM::Certificate");
    expect(names).toContain("AWS::DynamoDB::Table");
  });
});
