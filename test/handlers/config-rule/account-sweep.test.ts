// The account rule's scheduled sweep through the built bundle: it builds the `AWS::::Account` item
// from the account-level APIs (local endpoints, real SDK clients) and puts one evaluation with
// ComplianceResourceType `AWS::::Account`: compliant for a clean account, non-compliant when the
// recorder is stopped, root has access keys or a quota is at 90%, and a failing account API fails
// only the controls that read its part, naming the call.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACCESS_DENIED, AccountEndpoint, accountEndpointEnv } from "../../support/account-endpoint.ts";
import { ConfigEndpoint, resourceKey } from "../../support/config-endpoint.ts";
import { ACCOUNT_ID, cleanAccount, cleanRecorder } from "./support/account.ts";
import { ensureBundle } from "./support/bundle.ts";
import { SWEEP_TIME, scheduledEvent } from "./support/events.ts";
import { epochSeconds } from "./support/expected.ts";
import { handlerEnv, Lambda } from "./support/lambda.ts";

const RULE = "compliance-account";
let config: ConfigEndpoint;
let account: AccountEndpoint;
let lambda: Lambda;

beforeAll(async () => {
  ensureBundle();
  config = await ConfigEndpoint.start();
  account = await AccountEndpoint.start(cleanAccount(new Date()));
  lambda = await Lambda.start(handlerEnv(config.url, accountEndpointEnv(account.url)));
});

afterAll(async () => {
  await lambda?.stop();
  await account?.close();
  await config?.close();
});

beforeEach(() => {
  config.reset();
  config.recorder = cleanRecorder();
  account.reset(cleanAccount(new Date()));
  lambda.clear();
});

async function sweep(rating = "C3I3A3") {
  const outcome = await lambda.invoke(
    scheduledEvent({
      rule: RULE,
      accountId: ACCOUNT_ID,
      resultToken: config.tokenFor(RULE),
      ruleParameters: { service: "account", ciaRating: rating },
    }),
  );
  const evaluation = config.evaluationsOf(RULE).get(resourceKey("AWS::::Account", ACCOUNT_ID));
  return { outcome, evaluation };
}

describe("the account rule's scheduled sweep", () => {
  it("puts one AWS::::Account evaluation: COMPLIANT for a clean account", async () => {
    const { outcome, evaluation } = await sweep();
    expect(outcome).toMatchObject({ status: "evaluated", written: 1, itemsEvaluated: 1 });
    expect(evaluation).toMatchObject({
      resourceType: "AWS::::Account",
      resourceId: ACCOUNT_ID,
      complianceType: "COMPLIANT",
      orderingTimestamp: epochSeconds(SWEEP_TIME),
    });
    expect(evaluation?.annotation).toMatch(/C3I3A3/);
    // Only the account is swept: no resource of Config's is listed.
    expect(config.callsOf("ListDiscoveredResources")).toEqual([]);
    expect(config.callsOf("DescribeConfigurationRecorderStatus")).toHaveLength(1);
  });

  it("is NON_COMPLIANT when the recorder is stopped", async () => {
    config.recorder.ConfigurationRecordersStatus[0]!.recording = false;
    const { evaluation } = await sweep();
    expect(evaluation?.complianceType).toBe("NON_COMPLIANT");
    expect(evaluation?.annotation).toMatch(/^\[CRITICAL\] ACCOUNT\.CONFIG-RECORDER: /);
  });

  it("is NON_COMPLIANT when root has access keys", async () => {
    account.state.accountSummary.AccountAccessKeysPresent = 1;
    const { evaluation } = await sweep();
    expect(evaluation?.complianceType).toBe("NON_COMPLIANT");
    expect(evaluation?.annotation).toMatch(
      /^\[CRITICAL\] ACCOUNT\.ROOT-ACCESS-KEYS: .*AccountAccessKeysPresent is 1/,
    );
  });

  it("is NON_COMPLIANT when a quota is at 90%, at A2 as at A3", async () => {
    account.state.metrics.ConcurrentExecutions = [400, 900];
    const strict = await sweep("C1I1A3");
    expect(strict.evaluation?.complianceType).toBe("NON_COMPLIANT");
    expect(strict.evaluation?.annotation).toContain("uses 900 of Concurrent executions");
    const relaxed = await sweep("C1I1A2");
    expect(relaxed.evaluation?.complianceType).toBe("NON_COMPLIANT");
    expect(relaxed.evaluation?.annotation).toMatch(/^\[MEDIUM\] ACCOUNT\.QUOTA-HEADROOM: .*more than 80%/);
  });

  it("at 70% a quota fails only where availability is 3 (60% headroom threshold)", async () => {
    account.state.metrics.ConcurrentExecutions = [700];
    expect((await sweep("C1I1A2")).evaluation?.complianceType).toBe("COMPLIANT");
    expect((await sweep("C1I1A3")).evaluation?.complianceType).toBe("NON_COMPLIANT");
  });

  it("a failing account API fails only the controls that read its part, naming the call", async () => {
    account.fail("CloudTrail.DescribeTrails", ACCESS_DENIED);
    const { outcome, evaluation } = await sweep();
    expect(outcome.written).toBe(1);
    expect(evaluation?.complianceType).toBe("NON_COMPLIANT");
    expect(evaluation?.annotation).toMatch(
      /^\[HIGH\] ACCOUNT\.ORGANISATION-TRAIL: .*the call CloudTrail DescribeTrails/,
    );
    expect(evaluation?.annotation).not.toMatch(/more/);
    expect(lambda.logs).toContainEqual(
      expect.objectContaining({
        level: "ERROR",
        message: "account-level calls failed: the controls that read their parts fail closed",
        failedCalls: [
          expect.objectContaining({ part: "trails", error: expect.stringMatching(/^AccessDeniedException/) }),
        ],
      }),
    );
  });
});

describe("S3 Control on a loopback endpoint", () => {
  // S3 Control puts the account id before the endpoint's host; on `http://127.0.0.1:PORT` that
  // would be `111111111111.127.0.0.1`, not a URL, and the part would always fail closed.
  let loopback: Lambda;
  const endpoint = () => account.url.replace("//localhost:", "//127.0.0.1:");

  beforeAll(async () => {
    loopback = await Lambda.start(
      handlerEnv(config.url, { ...accountEndpointEnv(account.url), AWS_ENDPOINT_URL_S3_CONTROL: endpoint() }),
    );
  });
  afterAll(async () => {
    await loopback?.stop();
  });

  it("reads the account's public access block from the local endpoint, without the account host prefix", async () => {
    account.state.publicAccessBlock = {
      ...cleanAccount(new Date()).publicAccessBlock!,
      BlockPublicPolicy: false,
    };
    const outcome = await loopback.invoke(
      scheduledEvent({
        rule: RULE,
        accountId: ACCOUNT_ID,
        resultToken: config.tokenFor(RULE),
        ruleParameters: { service: "account", ciaRating: "C3I3A3" },
      }),
    );
    const evaluation = config.evaluationsOf(RULE).get(resourceKey("AWS::::Account", ACCOUNT_ID));
    expect(outcome).toMatchObject({ status: "evaluated", written: 1 });
    expect(account.callsOf("S3Control")).toEqual([
      expect.objectContaining({
        operation: "GetPublicAccessBlock",
        host: endpoint().slice("http://".length),
      }),
    ]);
    expect(
      loopback.logs.filter(
        (l) => l.message === "account-level calls failed: the controls that read their parts fail closed",
      ),
    ).toEqual([]);
    expect(evaluation?.complianceType).toBe("NON_COMPLIANT");
    expect(evaluation?.annotation).toMatch(
      /^\[[A-Z]+\] ACCOUNT\.S3-PUBLIC-ACCESS-BLOCK: .*BlockPublicPolicy/,
    );
    // The same settings, all on: the control passes (the answer was read, not failed closed).
    account.state.publicAccessBlock = cleanAccount(new Date()).publicAccessBlock;
    await loopback.invoke(
      scheduledEvent({
        rule: RULE,
        accountId: ACCOUNT_ID,
        resultToken: config.tokenFor(RULE),
        ruleParameters: { service: "account", ciaRating: "C3I3A3" },
      }),
    );
    expect(config.evaluationsOf(RULE).get(resourceKey("AWS::::Account", ACCOUNT_ID))?.complianceType).toBe(
      "COMPLIANT",
    );
  });
});
