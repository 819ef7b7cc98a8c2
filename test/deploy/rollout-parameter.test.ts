// The central template's RolloutMode: a parameter, quiet unless the deployer says otherwise, that
// reaches the notifier as ROLLOUT_MODE and sets the digest's schedule (daily while quiet). The
// template is resolved as CloudFormation would, with the parameters' defaults or given values.

import { describe, expect, it } from "vitest";
import { centralTemplate } from "../../deploy/central-template.ts";
import { TemplateResolver } from "../../engine/template/index.ts";
import type { CfnTemplate } from "../../engine/template/types.ts";
import { SAMPLE_OPTIONS } from "./sample-parameters.ts";

const template = centralTemplate();
const resolved = (parameters: Record<string, string> = {}) =>
  new TemplateResolver(template as unknown as CfnTemplate, {
    ...SAMPLE_OPTIONS,
    parameters: { ...SAMPLE_OPTIONS.parameters, ...parameters },
  });
const environment = (resolver: TemplateResolver) =>
  (resolver.properties("NotifierFunction").Environment as { Variables: Record<string, unknown> }).Variables;

describe("RolloutMode", () => {
  it("is a parameter of the central stack, quiet or normal, quiet by default", () => {
    expect(template.Parameters?.RolloutMode).toMatchObject({
      Type: "String",
      AllowedValues: ["quiet", "normal"],
      Default: "quiet",
    });
  });

  it("reaches the notifier's environment as ROLLOUT_MODE: quiet by default, normal when set", () => {
    expect(environment(resolved()).ROLLOUT_MODE).toBe("quiet");
    expect(environment(resolved({ RolloutMode: "normal" })).ROLLOUT_MODE).toBe("normal");
    // The variables the notifier already read are all still there.
    expect(Object.keys(environment(resolved()))).toEqual(
      expect.arrayContaining(["CISO_TOPIC_ARN", "OWNER_TOPIC_ARN", "LEDGER_TABLE", "LOG_LEVEL"]),
    );
  });

  it("sends the digest daily while quiet, on DigestSchedule once normal", () => {
    const schedule = (resolver: TemplateResolver) => resolver.properties("DigestRule").ScheduleExpression;
    expect(schedule(resolved())).toBe("cron(0 7 * * ? *)");
    expect(schedule(resolved({ RolloutMode: "normal" }))).toBe("cron(0 7 ? * MON *)");
    expect(schedule(resolved({ QuietDigestSchedule: "cron(0 6 * * ? *)" }))).toBe("cron(0 6 * * ? *)");
  });
});
