// Reading compliance change events: the real shapes (EventBridge envelope, the bare detail of
// Config's SNS notification), and one-line errors naming the field for everything else.

import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { EventError } from "../../../handlers/notifier/errors.ts";
import { ledgerKey, parseComplianceChange, resultSeq } from "../../../handlers/notifier/event.ts";
import { classify, unwrapBody } from "../../../handlers/notifier/input.ts";

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/events/${name}`, import.meta.url), "utf8")) as Record<
    string,
    unknown
  >;

describe("parseComplianceChange", () => {
  test("the EventBridge event as AWS Config sends it (RDK workshop) is read, its 11-digit account id included", () => {
    const event = fixture("eventbridge-compliance-change-rdk-workshop.json");
    expect(parseComplianceChange(event)).toEqual({
      // Not 12 digits, but what AWS's own sample carries: read as it is (the handler warns).
      accountId: "12345678012",
      region: "us-east-2",
      ruleName: "MFA_ENABLED_RULE",
      ruleArn: "arn:aws:config:us-east-2:12345678012:config-rule/config-rule-q8cnh9",
      // The evaluated resource is the qualifier's (the workshop's detail.resourceType disagrees).
      resourceType: "AWS::IAM::User",
      resourceId: "AIDAJ7EHXUJYDKZNSYEF0",
      compliance: "NON_COMPLIANT",
      orderingTimestamp: "2018-11-08T13:49:50.000Z",
      resultRecordedTime: "2018-11-08T13:49:53.763Z",
      previous: { compliance: "COMPLIANT", orderingTimestamp: "2018-07-06T19:11:24.000Z" },
    });
  });

  test("what a producer may leave out: the old result, the annotation, the ordering timestamp, the detail's account and region", () => {
    const event = fixture("eventbridge-compliance-change-rdk-workshop.json") as {
      detail: Record<string, unknown> & { newEvaluationResult: Record<string, unknown> };
    };
    delete event.detail.oldEvaluationResult;
    delete event.detail.awsAccountId;
    delete event.detail.awsRegion;
    delete (event.detail.newEvaluationResult.evaluationResultIdentifier as Record<string, unknown>)
      .orderingTimestamp;
    const result = parseComplianceChange(event)!;
    expect(result.previous).toBeUndefined();
    expect(result.annotation).toBeUndefined();
    // The envelope's account and region, the recording time as ordering timestamp.
    expect(result).toMatchObject({
      accountId: "212591712841",
      region: "us-east-2",
      orderingTimestamp: "2018-11-08T13:49:53.763Z",
    });
    // An old result that says nothing usable is left out rather than failing the event.
    event.detail.oldEvaluationResult = { complianceType: 7 };
    expect(parseComplianceChange(event)!.previous).toBeUndefined();
    event.detail.awsAccountId = "";
    delete (event as Record<string, unknown>).account;
    expect(() => parseComplianceChange(event)).toThrow(
      new EventError('detail.awsAccountId: expected a non-empty string, got ""'),
    );
  });

  test("the bare detail of Config's SNS compliance notification (AWS docs) is read too", () => {
    const message = fixture("sns-compliance-change-docs.json").Message;
    expect(parseComplianceChange(message)).toMatchObject({
      accountId: "123456789012",
      ruleName: "cloudtrail-enabled",
      resourceType: "AWS::::Account",
      compliance: "COMPLIANT",
      orderingTimestamp: "2016-09-27T19:48:40.619Z",
    });
  });

  test("INSUFFICIENT_DATA carries no verdict", () => {
    const message = structuredClone(fixture("sns-compliance-change-docs.json").Message) as {
      newEvaluationResult: { complianceType: string };
    };
    message.newEvaluationResult.complianceType = "INSUFFICIENT_DATA";
    expect(parseComplianceChange(message)).toBeUndefined();
  });

  test.each([
    [
      { "detail-type": "Scheduled Event", detail: {} },
      'event.detail-type: expected "Config Rules Compliance Change"',
    ],
    [{ "detail-type": "Config Rules Compliance Change" }, "event.detail: expected an object, got nothing"],
    [[], "event: expected a JSON object"],
  ])("bad input is a one-line error naming the field: %j", (event, message) => {
    expect(() => parseComplianceChange(event)).toThrow(message);
  });

  test("a bad timestamp and an unknown verdict name their fields", () => {
    const detail = structuredClone(fixture("sns-compliance-change-docs.json").Message) as {
      newEvaluationResult: Record<string, unknown>;
    };
    const result = detail.newEvaluationResult;
    result.complianceType = "MAYBE";
    expect(() => parseComplianceChange(detail)).toThrow(
      "event.newEvaluationResult.complianceType: unknown value",
    );
    result.complianceType = "COMPLIANT";
    (result.evaluationResultIdentifier as Record<string, unknown>).orderingTimestamp = "yesterday";
    expect(() => parseComplianceChange(detail)).toThrow(
      'event.newEvaluationResult.evaluationResultIdentifier.orderingTimestamp: not a timestamp: "yesterday"',
    );
  });

  test("results order by ordering timestamp, then by recording time; the key names the finding", () => {
    const a = {
      orderingTimestamp: "2025-01-01T00:00:00.000Z",
      resultRecordedTime: "2025-01-01T00:00:05.000Z",
    };
    const b = {
      orderingTimestamp: "2025-01-01T00:00:00.000Z",
      resultRecordedTime: "2025-01-01T00:00:06.000Z",
    };
    const c = {
      orderingTimestamp: "2025-01-01T00:00:01.000Z",
      resultRecordedTime: "2025-01-01T00:00:01.000Z",
    };
    expect(resultSeq(a) < resultSeq(b) && resultSeq(b) < resultSeq(c)).toBe(true);
    expect(
      ledgerKey({
        accountId: "1",
        region: "r",
        ruleName: "rule",
        resourceType: "AWS::S3::Bucket",
        resourceId: "b",
      }),
    ).toBe("1#r#rule#AWS::S3::Bucket#b");
  });
});

describe("invocations", () => {
  test("modes, SQS batches and single events are told apart", () => {
    expect(classify({ mode: "sync-owners" })).toEqual({ kind: "sync-owners", dryRun: false });
    expect(classify({ mode: "sync-owners", dryRun: true })).toEqual({ kind: "sync-owners", dryRun: true });
    expect(classify({ mode: "digest" })).toEqual({ kind: "digest", days: 7 });
    expect(classify({ mode: "digest", days: 30 })).toEqual({ kind: "digest", days: 30 });
    expect(classify({ mode: "retry-pending" })).toEqual({ kind: "retry-pending" });
    expect(classify({ Records: [{ messageId: "m", body: "{}" }] })).toEqual({
      kind: "batch",
      source: "sqs",
      records: [{ messageId: "m", body: "{}" }],
    });
    expect(
      classify({ Records: [{ EventSource: "aws:sns", Sns: { MessageId: "s", Message: "{}" } }] }),
    ).toEqual({
      kind: "batch",
      source: "sns",
      records: [{ messageId: "s", body: "{}" }],
    });
    expect(classify([{ a: 1 }])).toEqual({
      kind: "batch",
      source: "array",
      records: [{ messageId: "0", event: { a: 1 } }],
    });
    expect(classify({ detail: {} })).toEqual({ kind: "event", event: { detail: {} } });
    expect(() => classify({ mode: "sync-owners", dryRun: "yes" })).toThrow(
      'dryRun: expected true or false, got "yes"',
    );
    // A malformed record no longer fails the batch: it becomes a record that fails alone.
    expect(classify({ Records: [{ body: "{}" }, { messageId: "m", body: "{}" }] })).toEqual({
      kind: "batch",
      source: "sqs",
      records: [
        { problem: "Records[0]: expected an SQS record with a string messageId and body, or an SNS record" },
        { messageId: "m", body: "{}" },
      ],
    });
  });

  test("an SQS body is the event itself or an SNS notification of it", () => {
    expect(unwrapBody('{"a":1}')).toEqual({ a: 1 });
    expect(unwrapBody(JSON.stringify({ Type: "Notification", Message: '{"a":2}' }))).toEqual({ a: 2 });
    expect(() => unwrapBody("{")).toThrow("body: not valid JSON");
  });
});
