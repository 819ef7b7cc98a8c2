// The small CloudFormation vocabulary the template generators use: JSON types, intrinsic
// functions and IAM policy statements. Templates are plain data; nothing here talks to AWS.

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface Parameter {
  Type: "String" | "Number" | "CommaDelimitedList" | "List<Number>";
  Description: string;
  Default?: string | number;
  AllowedValues?: (string | number)[];
  AllowedPattern?: string;
  ConstraintDescription?: string;
  MinValue?: number;
  MaxValue?: number;
}

export interface Resource {
  Type: string;
  Condition?: string;
  DependsOn?: string | string[];
  DeletionPolicy?: "Delete" | "Retain" | "Snapshot" | "RetainExceptOnCreate";
  UpdateReplacePolicy?: "Delete" | "Retain" | "Snapshot";
  Properties: JsonObject;
}

export interface Output {
  Description: string;
  Value: Json;
  Condition?: string;
  Export?: { Name: Json };
}

export interface Template {
  AWSTemplateFormatVersion: "2010-09-09";
  Description: string;
  Metadata?: JsonObject;
  Parameters?: Record<string, Parameter>;
  Conditions?: Record<string, Json>;
  Resources: Record<string, Resource>;
  Outputs?: Record<string, Output>;
}

export const ref = (name: string): JsonObject => ({ Ref: name });
export const getAtt = (resource: string, attribute: string): JsonObject => ({
  "Fn::GetAtt": [resource, attribute],
});
export const sub = (text: string): JsonObject => ({ "Fn::Sub": text });
export const join = (separator: string, parts: Json[]): JsonObject => ({ "Fn::Join": [separator, parts] });
export const ifThen = (condition: string, then: Json, otherwise: Json): JsonObject => ({
  "Fn::If": [condition, then, otherwise],
});
export const NO_VALUE: JsonObject = ref("AWS::NoValue");

/** An IAM policy statement; actions are sorted so the output is stable and easy to read. */
export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: Json;
  Action?: string[];
  NotAction?: string[];
  Resource: Json;
  Condition?: JsonObject;
}

export function allow(sid: string, actions: string[], resource: Json, condition?: JsonObject): JsonObject {
  const s: JsonObject = { Sid: sid, Effect: "Allow", Action: [...actions].sort(), Resource: resource };
  if (condition) s.Condition = condition;
  return s;
}

export function policyDocument(statements: Json[]): JsonObject {
  return { Version: "2012-10-17", Statement: statements };
}

/** A role that a service assumes, with inline policies only (no managed policy: least privilege). */
export function serviceRole(options: {
  roleName: string;
  description: string;
  service: string;
  policyName: string;
  statements: Json[];
  sourceAccount?: boolean;
}): Resource {
  const trust: JsonObject = {
    Effect: "Allow",
    Principal: { Service: options.service },
    Action: "sts:AssumeRole",
  };
  if (options.sourceAccount)
    trust.Condition = { StringEquals: { "aws:SourceAccount": ref("AWS::AccountId") } };
  return {
    Type: "AWS::IAM::Role",
    Properties: {
      RoleName: sub(options.roleName),
      Description: options.description,
      AssumeRolePolicyDocument: policyDocument([trust]),
      Policies: [{ PolicyName: options.policyName, PolicyDocument: policyDocument(options.statements) }],
    },
  };
}

/** The deny-unless-TLS statement of a resource policy (FSBP S3.5 / SNS / SQS "TLS only"). */
export function denyInsecureTransport(actions: string[], resource: Json): JsonObject {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: actions,
    Resource: resource,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** The policy of a queue that EventBridge rules deliver to (a target or a dead-letter queue): TLS only. */
export function eventTargetQueuePolicy(queueArns: Json, ruleArns: Json[]): JsonObject {
  return policyDocument([
    {
      Sid: "EventBridgeRulesSendMessages",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: "sqs:SendMessage",
      Resource: queueArns,
      Condition: { ArnEquals: { "aws:SourceArn": ruleArns } },
    },
    denyInsecureTransport(["sqs:*"], queueArns),
  ]);
}

/** Serialises a template: stable (the generators build keys in a fixed order), 2-space indent. */
export function renderTemplate(template: Template): string {
  return `${JSON.stringify(template, null, 2)}\n`;
}

/** The minified form, as a StackSet's TemplateBody carries it. */
export function minifyTemplate(template: Template): string {
  return JSON.stringify(template);
}
