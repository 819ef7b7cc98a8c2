// The StackSet reconciler in the management template: created only with its code key, on its
// schedule, and its role may list and update the member StackSet's instances and nothing else.

import { describe, expect, it } from "vitest";
import type { JsonObject, Resource } from "../../deploy/cfn.ts";
import { readScpSettings } from "../../deploy/scp-settings.ts";
import { synthesise } from "../../deploy/synth.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";

const { management } = synthesise(repositoryCatalogue(), readScpSettings()).templates;
// biome-ignore lint/suspicious/noExplicitAny: the assertions read deep into template JSON
const props = (r: Resource) => r.Properties as Record<string, any>;
const reconcilerIds = Object.keys(management.Resources).filter((id) => /^Reconcile/.test(id));

describe("the reconciler in the management template", () => {
  it("is created only when ReconcilerCodeKey is given", () => {
    expect(reconcilerIds.sort()).toEqual([
      "ReconcilePermission",
      "ReconcileRule",
      "ReconcilerDeadLetterQueue",
      "ReconcilerDeadLetterQueuePolicy",
      "ReconcilerFunction",
      "ReconcilerKey",
      "ReconcilerLogGroup",
      "ReconcilerRole",
    ]);
    for (const id of reconcilerIds) expect(management.Resources[id]!.Condition, id).toBe("HasReconciler");
    expect(management.Conditions?.HasReconciler).toEqual({
      "Fn::Not": [{ "Fn::Equals": [{ Ref: "ReconcilerCodeKey" }, ""] }],
    });
    expect(management.Parameters?.ReconcilerCodeKey?.Default).toBe("");
  });

  it("runs the bundled handler on ReconcileSchedule for the member StackSet, as CallAs says", () => {
    const fn = props(management.Resources.ReconcilerFunction!);
    expect(fn.Handler).toBe("stackset-reconciler.handler");
    expect(fn.Code.S3Key).toEqual({ Ref: "ReconcilerCodeKey" });
    expect(fn.Environment.Variables).toMatchObject({
      STACK_SET_NAME: "compliance-member",
      CALL_AS: { Ref: "CallAs" },
    });
    const rule = props(management.Resources.ReconcileRule!);
    expect(rule.ScheduleExpression).toEqual({ Ref: "ReconcileSchedule" });
    expect(rule.Targets[0].Arn).toEqual({ "Fn::GetAtt": ["ReconcilerFunction", "Arn"] });
  });

  it("lets the role list and update the member StackSet's instances only", () => {
    const statements = (
      props(management.Resources.ReconcilerRole!).Policies as {
        PolicyDocument: { Statement: JsonObject[] };
      }[]
    ).flatMap((p) => p.PolicyDocument.Statement);
    const cloudformation = statements.filter((s) =>
      (s.Action as string[]).some((a) => a.startsWith("cloudformation:")),
    );
    expect(cloudformation.flatMap((s) => s.Action as string[]).sort()).toEqual([
      "cloudformation:ListStackInstances",
      "cloudformation:UpdateStackInstances",
    ]);
    for (const s of cloudformation) {
      const resources = [s.Resource].flat().map((r) => JSON.stringify(r));
      for (const r of resources) expect(r).toMatch(/:stackset(-target)?\/compliance-member:\*/);
    }
    const actions = statements.flatMap((s) => s.Action as string[]);
    expect(actions.filter((a) => a.endsWith("*") || a === "*")).toEqual([]);
  });
});
