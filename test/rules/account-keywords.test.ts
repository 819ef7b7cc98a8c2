// The keywords of the account controls, at their boundaries: `accountPart` (a missing part names
// its call), `usageAtMost` (usage against value * ratio, the ratio the policy's) and `maxAgeDays`
// (a date against the item's capture time). The code keywords must survive Ajv's standalone code
// generation, which the Lambda bundles use.

import { describe, expect, it } from "vitest";
import { createAjv } from "../../engine/catalogue.ts";
import { describeErrors } from "../../engine/messages.ts";
import { parseCredentialReport, parseCsv } from "../../handlers/config/account/credential-report.ts";
import { ACCOUNT_PARTS } from "../../rules/account-part.ts";

const ajv = createAjv();

function check(schema: Record<string, unknown>, data: unknown) {
  const validate = ajv.compile(schema);
  const ok = validate(data);
  return { ok, messages: ok ? [] : describeErrors(validate.errors ?? []) };
}

describe("accountPart", () => {
  it("passes when the part is there, even null (read, not configured)", () => {
    expect(
      check({ type: "object", accountPart: "passwordPolicy" }, { configuration: { passwordPolicy: null } })
        .ok,
    ).toBe(true);
  });

  it.each(Object.entries(ACCOUNT_PARTS))("a missing %s names its call", (part, call) => {
    expect(check({ type: "object", accountPart: part }, { configuration: {} }).messages).toEqual([
      `configuration.${part} is missing: the call ${call} failed or was not made, so this control fails closed`,
    ]);
  });

  it("refuses a part that does not exist when the schema is compiled", () => {
    expect(() => ajv.compile({ type: "object", accountPart: "rootUser" })).toThrow();
  });
});

describe("usageAtMost", () => {
  const quota = (usage: unknown, value: unknown = 1000) => ({
    serviceCode: "lambda",
    quotaCode: "L-B99A9384",
    quotaName: "Concurrent executions",
    value,
    usage,
  });
  const schema = { type: "object", usageAtMost: 0.8 };

  it("passes at exactly the threshold and fails just above it", () => {
    expect(check(schema, quota(800)).ok).toBe(true);
    expect(check(schema, quota(801)).messages).toEqual([
      "the item uses 801 of Concurrent executions (lambda L-B99A9384, quota 1000): more than 80% of the quota",
    ]);
  });

  it("fails closed when usage or value is not a number", () => {
    expect(check(schema, quota(null)).ok).toBe(false);
    expect(check(schema, quota(10, "1000")).ok).toBe(false);
  });

  it("takes its ratio from the policy and refuses one outside (0, 1]", () => {
    expect(check({ type: "object", usageAtMost: 0.6 }, quota(700)).ok).toBe(false);
    expect(() => ajv.compile({ type: "object", usageAtMost: 80 })).toThrow();
  });
});

describe("maxAgeDays", () => {
  const item = (date: string) => ({ configurationItemCaptureTime: "2026-11-01T06:00:00.000Z", d: date });
  const schema = { type: "object", properties: { d: { type: "string", maxAgeDays: 90 } } };

  it("counts from the item's capture time, not the clock", () => {
    expect(check(schema, item("2026-08-03T06:00:00+00:00")).ok).toBe(true); // exactly 90 days
    expect(check(schema, item("2026-08-03T05:59:59+00:00")).messages).toEqual([
      "d is 2026-08-03T05:59:59+00:00, more than 90 days before the item was read (2026-11-01T06:00:00.000Z)",
    ]);
  });

  it("fails a value that is not a time, and an item without a capture time", () => {
    expect(check(schema, item("N/A")).ok).toBe(false);
    expect(check(schema, { d: "2026-10-01T00:00:00Z" }).ok).toBe(false);
  });
});

describe("standalone code generation (the Lambda bundles)", () => {
  it("generates self-contained code for the code keywords", async () => {
    const { default: standalone } = await import("ajv/dist/standalone/index.js");
    const generate = (standalone as unknown as { default?: typeof standalone }).default ?? standalone;
    const standaloneAjv = createAjv();
    standaloneAjv.opts.code.source = true;
    const validate = standaloneAjv.compile({
      type: "object",
      accountPart: "quotas",
      properties: {
        configuration: {
          type: "object",
          properties: { quotas: { type: "array", items: { type: "object", usageAtMost: 0.8 } } },
        },
        d: { type: "string", maxAgeDays: 90 },
      },
    });
    const code = generate(standaloneAjv, validate);
    const module = { exports: {} as Record<string, unknown> };
    new Function("module", "exports", "require", code)(module, module.exports, () => {
      throw new Error("standalone code must not require anything");
    });
    const run = module.exports as unknown as ((data: unknown) => boolean) & {
      default?: (d: unknown) => boolean;
    };
    const fn = run.default ?? run;
    expect(
      fn({
        configurationItemCaptureTime: "2026-11-01T00:00:00Z",
        configuration: { quotas: [{ value: 10, usage: 8 }] },
      }),
    ).toBe(true);
    expect(
      fn({
        configurationItemCaptureTime: "2026-11-01T00:00:00Z",
        configuration: { quotas: [{ value: 10, usage: 9 }] },
      }),
    ).toBe(false);
  });
});

describe("the credential report's CSV", () => {
  it("honours quoting (IAM user names may hold commas), CRLF and a trailing newline", () => {
    expect(parseCsv('user,arn\r\n"a,b",x\r\n"say ""hi""",y\n')).toEqual([
      ["user", "arn"],
      ["a,b", "x"],
      ['say "hi"', "y"],
    ]);
    expect(parseCredentialReport("user,mfa_active\n<root_account>,true")).toEqual([
      { user: "<root_account>", mfa_active: "true" },
    ]);
    expect(parseCredentialReport("")).toEqual([]);
  });
});
