// Reading the invocation event: every real Lambda event, and the tolerances.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MalformedEventError } from "../../../../handlers/config/errors.ts";
import { isTestMode, parseRuleEvent } from "../../../../handlers/config/event.ts";
import { FIXTURES } from "../../../support/fixtures.ts";

const dir = join(FIXTURES, "events");
const events = readdirSync(dir)
  .filter((f) => f.startsWith("lambda-"))
  .map((f) => ({
    file: f,
    event: JSON.parse(readFileSync(join(dir, f), "utf8")) as Record<string, unknown>,
  }));

const KIND: Record<string, string> = {
  ConfigurationItemChangeNotification: "change",
  OversizedConfigurationItemChangeNotification: "oversized",
  ScheduledNotification: "scheduled",
  ConfigurationSnapshotDeliveryCompleted: "ignored",
};

describe("parseRuleEvent", () => {
  it.each(events)("$file", ({ event }) => {
    const parsed = parseRuleEvent(event);
    const messageType = JSON.parse(String(event.invokingEvent)).messageType as string;
    expect(parsed.messageType).toBe(messageType);
    expect(parsed.message.kind).toBe(KIND[messageType]);
    expect(parsed.resultToken).toBe(event.resultToken);
    expect(parsed.configRuleName).toBe(event.configRuleName ?? "");
    expect(parsed.eventLeftScope).toBe(false);
  });

  it("takes an invokingEvent given as an object, and eventLeftScope as a string", () => {
    const parsed = parseRuleEvent({
      invokingEvent: {
        messageType: "ScheduledNotification",
        notificationCreationTime: "2024-01-01T00:00:00Z",
      },
      resultToken: "t",
      configRuleName: "r",
      eventLeftScope: "true",
    });
    expect(parsed.message).toEqual({ kind: "scheduled", notificationCreationTime: "2024-01-01T00:00:00Z" });
    expect(parsed.eventLeftScope).toBe(true);
  });

  it("an unknown message type is ignored, even without a token", () => {
    expect(parseRuleEvent({ invokingEvent: '{"messageType":"SomethingNew"}' }).message).toEqual({
      kind: "ignored",
      messageType: "SomethingNew",
    });
  });

  it("a scheduled event needs the rule name (to find what the rule evaluated)", () => {
    expect(() =>
      parseRuleEvent({
        invokingEvent:
          '{"messageType":"ScheduledNotification","notificationCreationTime":"2024-01-01T00:00:00Z"}',
        resultToken: "t",
      }),
    ).toThrow(new MalformedEventError("scheduled event has no `configRuleName`"));
  });

  it("TESTMODE", () => {
    expect(isTestMode("TESTMODE")).toBe(true);
    expect(isTestMode("testmode")).toBe(false);
  });
});
