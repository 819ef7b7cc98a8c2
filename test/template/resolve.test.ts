// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Fn::Sub strings, not JavaScript templates
// Intrinsic functions: resolved when the template alone tells them, an unknown value otherwise.

import { describe, expect, it } from "vitest";
import { TemplateResolver } from "../../engine/template/index.ts";
import type { CfnTemplate } from "../../engine/template/types.ts";
import { isUnknown } from "../../engine/template/unknown.ts";

const template: CfnTemplate = {
  Parameters: {
    Stage: { Type: "String", Default: "dev" },
    Key: { Type: "String" },
    Subnets: { Type: "CommaDelimitedList", Default: "subnet-a, subnet-b" },
    Latest: { Type: "AWS::SSM::Parameter::Value<String>", Default: "/x/y" },
  },
  Mappings: { Sizes: { dev: { Memory: 256 } } },
  Conditions: {
    IsProd: { "Fn::Equals": [{ Ref: "Stage" }, "prod"] },
    HasKey: { "Fn::Not": [{ "Fn::Equals": [{ Ref: "Key" }, ""] }] },
  },
  Resources: {
    Queue: { Type: "AWS::SQS::Queue", Properties: { QueueName: { "Fn::Sub": "jobs-${Stage}" } } },
    Bucket: { Type: "AWS::S3::Bucket", Properties: {} },
  },
};

const resolver = (options = {}) => new TemplateResolver(template, options);

describe("what the template tells", () => {
  it("resolves Ref to a parameter's default, or to the value given", () => {
    expect(resolver().resolve({ Ref: "Stage" })).toBe("dev");
    expect(resolver({ parameters: { Stage: "prod" } }).resolve({ Ref: "Stage" })).toBe("prod");
    expect(resolver().resolve({ Ref: "Subnets" })).toEqual(["subnet-a", "subnet-b"]);
  });

  it("resolves pseudo parameters given as options, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::FindInMap", () => {
    const r = resolver({ account: "111122223333", region: "eu-west-1" });
    expect(r.resolve({ "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root" })).toBe(
      "arn:aws:iam::111122223333:root",
    );
    expect(r.resolve({ "Fn::Sub": ["${A}-${!Literal}", { A: { Ref: "AWS::Region" } }] })).toBe(
      "eu-west-1-${Literal}",
    );
    expect(r.resolve({ "Fn::Join": [":", ["a", { Ref: "Stage" }]] })).toBe("a:dev");
    expect(r.resolve({ "Fn::Select": [1, { "Fn::Split": [",", "x,y,z"] }] })).toBe("y");
    expect(r.resolve({ "Fn::FindInMap": ["Sizes", { Ref: "Stage" }, "Memory"] })).toBe(256);
  });

  it("resolves Ref and Fn::GetAtt of the template's resources as AWS documents them per type", () => {
    const r = resolver({ account: "111122223333", region: "eu-west-1" });
    expect(r.resolve({ Ref: "Queue" })).toBe("https://sqs.eu-west-1.amazonaws.com/111122223333/jobs-dev");
    expect(r.resolve({ "Fn::GetAtt": ["Queue", "Arn"] })).toBe("arn:aws:sqs:eu-west-1:111122223333:jobs-dev");
    expect(r.resolve({ "Fn::GetAtt": ["Bucket", "Arn"] })).toBe("arn:aws:s3:::stack-bucket-generated");
  });

  it("resolves Fn::If on a known condition, and drops AWS::NoValue", () => {
    const r = resolver();
    expect(r.resolve({ "Fn::If": ["IsProd", 35, 7] })).toBe(7);
    expect(r.resolve({ A: { "Fn::If": ["IsProd", 1, { Ref: "AWS::NoValue" }] }, B: 2 })).toEqual({ B: 2 });
  });
});

describe("what it does not tell: unknown values, never guesses", () => {
  it("marks Fn::ImportValue, a parameter without a default or value, an SSM parameter, and an unknown pseudo parameter", () => {
    const r = resolver();
    for (const value of [
      { "Fn::ImportValue": "shared-key" },
      { Ref: "Key" },
      { Ref: "Latest" },
      { Ref: "AWS::AccountId" },
      { "Fn::GetAZs": "" },
    ]) {
      const resolved = r.resolve(value);
      expect(isUnknown(resolved), JSON.stringify(value)).toBe(true);
    }
    expect(r.unknowns.in(String(r.resolve({ Ref: "Key" })))[0]?.reason).toMatch(
      /no default and no value was given/,
    );
  });

  it("makes a function of an unknown value unknown, and Fn::If on an unknown condition unknown (maybe absent)", () => {
    const r = resolver();
    expect(isUnknown(r.resolve({ "Fn::Sub": "alias/${Key}" }))).toBe(true);
    expect(isUnknown(r.resolve({ "Fn::Join": ["", ["a", { "Fn::ImportValue": "x" }]] }))).toBe(true);
    const maybe = r.resolve({ "Fn::If": ["HasKey", { Ref: "Key" }, { Ref: "AWS::NoValue" }] });
    expect(isUnknown(maybe)).toBe(true);
    expect(r.unknowns.in(String(maybe))[0]).toMatchObject({ maybeAbsent: true });
    // Both branches equal: the condition does not matter.
    expect(r.resolve({ "Fn::If": ["HasKey", "same", "same"] })).toBe("same");
  });

  it("keeps one marker per unknown thing, so references to it still match", () => {
    const r = resolver();
    expect(r.resolve({ "Fn::ImportValue": "x" })).toBe(r.resolve({ "Fn::ImportValue": "x" }));
    expect(r.resolve({ "Fn::ImportValue": "x" })).not.toBe(r.resolve({ "Fn::ImportValue": "y" }));
  });
});
