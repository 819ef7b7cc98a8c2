// PutEvaluations chunking and retries, against a mocked Config client (aws-sdk-client-mock).

import {
  ConfigServiceClient,
  type Evaluation,
  PutEvaluationsCommand,
  type PutEvaluationsCommandInput,
} from "@aws-sdk/client-config-service";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { EvaluationsNotWrittenError } from "../../../../handlers/config/errors.ts";
import {
  configAnnotation,
  putEvaluations,
  toEvaluation,
} from "../../../../handlers/config/put-evaluations.ts";

const config = mockClient(ConfigServiceClient);
const client = new ConfigServiceClient({ region: "eu-west-1" });
const waits: number[] = [];
const sleep = async (ms: number) => {
  waits.push(ms);
};

const evaluations = (n: number): Evaluation[] =>
  Array.from({ length: n }, (_, i) => ({
    ComplianceResourceType: "AWS::SQS::Queue",
    ComplianceResourceId: `queue-${i}`,
    ComplianceType: "COMPLIANT",
    Annotation: "ok",
    OrderingTimestamp: new Date("2024-01-01T00:00:00Z"),
  }));
const sent = () =>
  config.commandCalls(PutEvaluationsCommand).map((c) => c.args[0].input as PutEvaluationsCommandInput);

beforeEach(() => {
  config.reset();
  waits.length = 0;
});

describe("putEvaluations", () => {
  it("sends at most 100 evaluations a call", async () => {
    config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
    const result = await putEvaluations(client, evaluations(250), { resultToken: "token", sleep });
    expect(sent().map((i) => i.Evaluations?.length)).toEqual([100, 100, 50]);
    expect(result).toEqual({ written: 250, calls: 3, retried: 0, testMode: false });
    expect(sent().every((i) => i.ResultToken === "token" && i.TestMode === undefined)).toBe(true);
  });

  it("sends nothing for no evaluations", async () => {
    const result = await putEvaluations(client, [], { resultToken: "token", sleep });
    expect(sent()).toEqual([]);
    expect(result.written).toBe(0);
  });

  it("sets TestMode for the TESTMODE token", async () => {
    config.on(PutEvaluationsCommand).resolves({});
    const result = await putEvaluations(client, evaluations(1), { resultToken: "TESTMODE", sleep });
    expect(sent()[0]?.TestMode).toBe(true);
    expect(result.testMode).toBe(true);
  });

  it("sends FailedEvaluations again, after a pause, until they are taken", async () => {
    const all = evaluations(5);
    config
      .on(PutEvaluationsCommand)
      .resolvesOnce({ FailedEvaluations: [all[1]!, all[3]!] })
      .resolvesOnce({ FailedEvaluations: [all[3]!] })
      .resolves({ FailedEvaluations: [] });
    const result = await putEvaluations(client, all, { resultToken: "t", sleep });
    expect(sent().map((i) => i.Evaluations?.map((e) => e.ComplianceResourceId))).toEqual([
      ["queue-0", "queue-1", "queue-2", "queue-3", "queue-4"],
      ["queue-1", "queue-3"],
      ["queue-3"],
    ]);
    expect(result).toMatchObject({ written: 5, retried: 3 });
    expect(waits).toHaveLength(2);
  });

  it("throws EvaluationsNotWrittenError when Config keeps refusing some", async () => {
    const all = evaluations(3);
    config.on(PutEvaluationsCommand).callsFake((input: PutEvaluationsCommandInput) => ({
      FailedEvaluations: input.Evaluations?.filter((e) => e.ComplianceResourceId === "queue-2"),
    }));
    const error = await putEvaluations(client, all, { resultToken: "t", sleep, maxRetryRounds: 2 }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(EvaluationsNotWrittenError);
    expect(error).toMatchObject({ notWritten: 1, total: 3 });
    expect(sent()).toHaveLength(3); // the first call and two retry rounds
  });

  it("sends the other chunks when one call fails, then throws naming the cause", async () => {
    config
      .on(PutEvaluationsCommand)
      .rejectsOnce(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }))
      .resolves({ FailedEvaluations: [] });
    const error = await putEvaluations(client, evaluations(201), { resultToken: "t", sleep }).catch((e) => e);
    expect(sent().map((i) => i.Evaluations?.length)).toEqual([100, 100, 1]);
    expect(error).toBeInstanceOf(EvaluationsNotWrittenError);
    expect(error.message).toBe(
      "100 of 201 evaluations could not be written to AWS Config: ThrottlingException: Rate exceeded",
    );
  });
});

describe("annotations", () => {
  it("are 1..256 characters", () => {
    expect(configAnnotation("", "COMPLIANT")).toBe("Compliant.");
    expect(configAnnotation("   ", "NOT_APPLICABLE")).toBe("Not applicable.");
    const long = configAnnotation("x".repeat(300), "NON_COMPLIANT");
    expect(long).toHaveLength(256);
    expect(long.endsWith("…")).toBe(true);
  });

  it("never split a surrogate pair", () => {
    const text = `${"x".repeat(254)}😀😀`;
    const cut = configAnnotation(text, "NON_COMPLIANT");
    expect(cut.length).toBeLessThanOrEqual(256);
    expect(/[\uD800-\uDBFF]…$/.test(cut)).toBe(false);
  });

  it("toEvaluation maps a record with its ordering time", () => {
    const at = new Date("2024-02-03T04:05:06Z");
    const evaluation = toEvaluation(
      {
        resourceType: "AWS::SNS::Topic",
        resourceId: "arn:aws:sns:eu-west-1:123456789012:t",
        accountId: "123456789012",
        region: "eu-west-1",
        compliance: "NON_COMPLIANT",
        annotation: "[HIGH] SNS.KMS: not encrypted.",
        required: { c: 3, i: 3, a: 3 },
        achieved: { c: 2, i: 3, a: 3 },
        findings: [],
        capturedAt: "2024-01-01T00:00:00Z",
      },
      at,
    );
    expect(evaluation).toEqual({
      ComplianceResourceType: "AWS::SNS::Topic",
      ComplianceResourceId: "arn:aws:sns:eu-west-1:123456789012:t",
      ComplianceType: "NON_COMPLIANT",
      Annotation: "[HIGH] SNS.KMS: not encrypted.",
      OrderingTimestamp: at,
    });
  });
});
