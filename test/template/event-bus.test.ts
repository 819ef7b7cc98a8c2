// The template path on EventBridge buses: a custom bus without a resource policy fails
// EVENTS.BUS-POLICY-ATTACHED (FSBP EventBridge.3), a partner event bus (EventSourceName) and the
// default bus are skipped, as on the detective path.

import { describe, expect, it } from "vitest";
import { parseTemplateText } from "../../cli/template-input.ts";
import { HIGHEST } from "../../engine/cia.ts";
import { evaluateTemplate } from "../../engine/template/index.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";

const catalogue = repositoryCatalogue();
const options = {
  rating: HIGHEST,
  now: new Date("2026-12-01T00:00:00Z"),
  account: "111122223333",
  region: "eu-west-1",
};

const TEMPLATE = `Resources:
  Partner:
    Type: AWS::Events::EventBus
    Properties:
      Name: aws.partner/example.com/123/orders
      EventSourceName: aws.partner/example.com/123/orders
  Custom:
    Type: AWS::Events::EventBus
    Properties:
      Name: orders
  Organisation:
    Type: AWS::Events::EventBus
    Properties:
      Name: payments
      Policy:
        Version: "2012-10-17"
        Statement:
          - Sid: OrganisationPutsEvents
            Effect: Allow
            Principal: "*"
            Action: events:PutEvents
            Resource: !Sub arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:event-bus/payments
            Condition:
              StringEquals:
                aws:PrincipalOrgID: o-a1b2c3d4e5
`;

const records = evaluateTemplate(parseTemplateText(TEMPLATE, "buses.yml")!.template, catalogue, options);
const status = (id: string) =>
  records.find((r) => r.resourceId === id)?.findings.find((f) => f.controlId === "EVENTS.BUS-POLICY-ATTACHED")
    ?.status;

describe("EVENTS.BUS-POLICY-ATTACHED on the template path", () => {
  it("fails a custom bus without a resource policy", () => {
    expect(status("Custom")).toBe("FAIL");
  });

  it("passes a custom bus with a policy (limited to the organisation)", () => {
    expect(status("Organisation")).toBe("PASS");
  });

  it("skips a partner event bus: its EventSourceName reaches the item", () => {
    expect(status("Partner")).toBe("SKIP");
  });
});
