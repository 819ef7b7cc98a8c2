// PutEvaluations accepts only the resource types AWS Config supports, plus `AWS::::Account`; any
// other type is refused with InvalidParameterValueException ("The resource type ... is invalid.
// Only the following values are permitted: ..."), as AWS Config RDK users found for
// AWS::Backup::BackupPlan, and AWS's knowledge-centre article on rules for unsupported resource
// types reports such results against `AWS::::Account`. Log groups (AWS::Logs::LogGroup) are not a
// type Config records, so their results would be refused and silently never recorded. The sweep
// therefore folds the results of every refused type into one evaluation of the account: the worst
// compliance, and an annotation that names the failing resources and their first failing control.

import type { Evaluation } from "@aws-sdk/client-config-service";
import { isRecordedType } from "../../engine/catalogue-model.ts";
import type { Compliance, EvaluationRecord } from "../../engine/types.ts";
import { configAnnotation } from "./put-evaluations.ts";

export const ACCOUNT_TYPE = "AWS::::Account";

/** True when PutEvaluations takes evaluations of this resource type. */
export const acceptedByPutEvaluations = (resourceType: string): boolean =>
  resourceType === ACCOUNT_TYPE || isRecordedType(resourceType);

/** Names kept for the annotation; the rest are counted ("and N more"). */
const NAMES_KEPT = 20;

const RANK: Record<string, number> = { NON_COMPLIANT: 2, COMPLIANT: 1, NOT_APPLICABLE: 0 };

/**
 * One evaluation of the account from the account item's own (its account-level controls) and the
 * summary of refused types: a sweep of every service has both, and PutEvaluations takes one result
 * per resource. The worse compliance wins; the annotation keeps both, the account item's first.
 */
export function combineAccountEvaluations(
  own: Evaluation | undefined,
  summary: Evaluation | undefined,
): Evaluation | undefined {
  if (!own || !summary) return own ?? summary;
  const ownRank = RANK[own.ComplianceType ?? ""] ?? 0;
  const summaryRank = RANK[summary.ComplianceType ?? ""] ?? 0;
  const compliance = (ownRank >= summaryRank ? own.ComplianceType : summary.ComplianceType) as Compliance;
  const text = [own.Annotation, summary.Annotation].filter(Boolean).join(" | ");
  return { ...own, ComplianceType: compliance, Annotation: configAnnotation(text, compliance) };
}

export interface AccountSummary {
  add(record: EvaluationRecord): void;
  /** The account's evaluation, or undefined when no resource of a refused type was evaluated. */
  evaluation(accountId: string, at: Date): Evaluation | undefined;
}

export function accountSummary(): AccountSummary {
  const counts: Record<Compliance, number> = { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 };
  const types = new Set<string>();
  const failing: string[] = [];
  return {
    add(record) {
      counts[record.compliance]++;
      types.add(record.resourceType);
      if (record.compliance !== "NON_COMPLIANT" || failing.length >= NAMES_KEPT) return;
      const control = record.findings.find((f) => f.status === "FAIL")?.controlId;
      failing.push(control ? `${record.resourceId} (${control})` : record.resourceId);
    },
    evaluation(accountId, at) {
      const total = counts.COMPLIANT + counts.NON_COMPLIANT + counts.NOT_APPLICABLE;
      if (total === 0) return undefined;
      const what = [...types].sort().join(", ");
      let compliance: Compliance = "NOT_APPLICABLE";
      let text = `No ${what} in scope (${total} read; reported on the account: PutEvaluations refuses the type).`;
      if (counts.NON_COMPLIANT > 0) {
        compliance = "NON_COMPLIANT";
        const more = counts.NON_COMPLIANT - failing.length;
        text =
          `${counts.NON_COMPLIANT} of ${total} ${what} non-compliant: ${failing.join(", ")}` +
          (more > 0 ? `, and ${more} more` : "");
      } else if (counts.COMPLIANT > 0) {
        compliance = "COMPLIANT";
        text = `All ${counts.COMPLIANT} ${what} compliant (reported on the account: PutEvaluations refuses the type).`;
      }
      return {
        ComplianceResourceType: ACCOUNT_TYPE,
        ComplianceResourceId: accountId,
        ComplianceType: compliance,
        Annotation: configAnnotation(text, compliance),
        OrderingTimestamp: at,
      };
    },
  };
}
