// AWS::S3::AccessPoint and AWS::S3::MultiRegionAccessPoint as AWS Config records them: the
// CloudFormation-style names of their Config resource schemas. Both have their own public access
// block; every setting left out of the template is true (S3 User Guide: "By default, all Block
// Public Access settings are enabled" for access points and Multi-Region Access Points), and the
// settings cannot change after creation (CloudFormation replaces the resource).

import type { TemplateResolver } from "../resolve.ts";
import type { Obj } from "../types.ts";
import { isUnknown } from "../unknown.ts";
import { field, flag, type Mapper, own } from "./helpers.ts";

const SETTINGS = [
  "BlockPublicAcls",
  "IgnorePublicAcls",
  "BlockPublicPolicy",
  "RestrictPublicBuckets",
] as const;

function publicAccessBlock(value: unknown): unknown {
  if (isUnknown(value)) return value;
  return Object.fromEntries(SETTINGS.map((s) => [s, flag(field(value, s), true)]));
}

const origins = (id: string) =>
  own(id, { "configuration.PublicAccessBlockConfiguration": "PublicAccessBlockConfiguration" });

export const s3AccessPoint: Mapper = (r: TemplateResolver, id: string, p: Obj) => {
  const arn = r.attribute(id, "Arn");
  const name = r.name(id);
  const configuration: Obj = {
    Name: name,
    Arn: arn,
    Bucket: p.Bucket,
    // An access point without a VPC configuration accepts requests from the internet.
    NetworkOrigin: p.VpcConfiguration === undefined ? "Internet" : "VPC",
    PublicAccessBlockConfiguration: publicAccessBlock(p.PublicAccessBlockConfiguration),
  };
  if (p.BucketAccountId !== undefined) configuration.BucketAccountId = p.BucketAccountId;
  if (p.VpcConfiguration !== undefined) configuration.VpcConfiguration = p.VpcConfiguration;
  return { configuration, arn, name, configResourceId: name, origins: origins(id) };
};

export const s3MultiRegionAccessPoint: Mapper = (r: TemplateResolver, id: string, p: Obj) => {
  const name = r.name(id);
  // The ARN names the alias S3 generates at creation: unknown until then.
  const alias = r.attribute(id, "Alias");
  const arn = `arn:${r.partition}:s3::${String(r.resolve({ Ref: "AWS::AccountId" }))}:accesspoint/${alias}`;
  const configuration: Obj = {
    Name: name,
    Alias: alias,
    Regions: p.Regions ?? [],
    PublicAccessBlockConfiguration: publicAccessBlock(p.PublicAccessBlockConfiguration),
  };
  return { configuration, arn, name, configResourceId: name, origins: origins(id) };
};
