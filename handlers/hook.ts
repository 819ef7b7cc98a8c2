// The CloudFormation Lambda hook (resource operations), bundled to dist/handlers/hook.mjs: judges
// each resource a stack creates or updates with the same catalogue the AWS Config rules run, before
// it is provisioned. Deletions always proceed; a type no control covers proceeds unless its service
// is outside the catalogue's allow-list (NON_COMPLIANT, as on the detective path); UNKNOWN (a value
// only known at deploy time, or a policy another resource of the stack attaches) never blocks.
// The rating: the `CIA_RATING` environment variable (the member stack's parameter, e.g. C3I2A1);
// missing or malformed: the highest, C3I3A3 (fail safe). Request and response: hook/request.ts,
// hook/response.ts; whether FAILED blocks is the hook's FailureMode (FAIL, or WARN to only warn).

import { Logger } from "@aws-lambda-powertools/logger";
import { HIGHEST, parseRating } from "../engine/cia.ts";
import { describeError } from "../engine/errors.ts";
import { configTypeOf, evaluateTemplate } from "../engine/template/index.ts";
import type { EvaluationRecord } from "../engine/types.ts";
import { parseHookRequest, regionOfStack } from "./hook/request.ts";
import { type HookResponse, internalFailure, respond, success } from "./hook/response.ts";
import { loadEmbeddedCatalogue } from "./shared/catalogue.ts";

const logger = new Logger({ serviceName: "hook" });
const { catalogue, waivers, ready } = loadEmbeddedCatalogue();
const configured = process.env.CIA_RATING;
const rating = parseRating(configured) ?? { ...HIGHEST };
if (configured !== undefined && !parseRating(configured)) {
  logger.warn("CIA_RATING is not a rating like C3I2A1: the highest (C3I3A3) applies", { configured });
}

export async function handler(event: unknown): Promise<HookResponse> {
  const token = (event as { clientRequestToken?: unknown } | null)?.clientRequestToken;
  const echo = typeof token === "string" ? token : undefined;
  const parsed = parseHookRequest(event);
  if ("problem" in parsed) {
    logger.error(parsed.problem);
    return internalFailure(parsed.problem, echo);
  }
  const { request } = parsed;
  const { targetName, targetLogicalId, targetModel } = request.requestData;
  const type = request.requestData.targetType ?? targetName;
  if (request.actionInvocationPoint === "DELETE_PRE_PROVISION") {
    return success(`${type} ${targetLogicalId ?? ""}: deletion is never blocked by compliance`.trim(), echo);
  }
  // Judged as the type AWS Config records (an AWS::IAM::ManagedPolicy as an AWS::IAM::Policy).
  const controls = catalogue.byResourceType.get(configTypeOf(type)) ?? [];
  const logicalId = targetLogicalId ?? type.replace(/::/g, "");
  const judge = () => {
    const template = {
      Resources: { [logicalId]: { Type: type, Properties: targetModel?.resourceProperties ?? {} } },
    };
    const region = regionOfStack(request.stackId) ?? process.env.AWS_REGION;
    return evaluateTemplate(template, catalogue, {
      rating,
      now: new Date(),
      waivers,
      standalone: true,
      ...(request.awsAccountId ? { account: request.awsAccountId } : {}),
      ...(region ? { region } : {}),
    })[0];
  };
  const answer = (record: EvaluationRecord): HookResponse => {
    const response = respond(record, catalogue, echo);
    logger.info("judged", {
      invocationPoint: request.actionInvocationPoint,
      resourceType: type,
      logicalId,
      compliance: record.compliance,
      hookStatus: response.hookStatus,
    });
    return response;
  };
  try {
    if (controls.length === 0) {
      // No control reads the type, but a service outside the catalogue's allow-list is still
      // NON_COMPLIANT (the built-in allowed-service control), as on the detective path.
      const record = judge();
      if (record?.compliance !== "NON_COMPLIANT") {
        return success(`${type}: no control of the catalogue covers this resource type`, echo);
      }
      return answer(record);
    }
    // The validators of the services whose controls judge the type: the bundle holds each
    // service's as text, compiled the first time a request needs them.
    await ready([...new Set(controls.map((c) => c.service))]);
    const record = judge();
    if (!record) return success(`${type}: nothing to judge`, echo);
    return answer(record);
  } catch (error) {
    logger.error("the hook failed to evaluate", { error: describeError(error), resourceType: type });
    return internalFailure(`the compliance hook failed to evaluate ${type}: ${describeError(error)}`, echo);
  }
}
