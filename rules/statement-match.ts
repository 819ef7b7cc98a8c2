// What the statement keywords (`hasStatement`, `noStatementAllowing`, `denyInsecureTransport`)
// share: a statement pattern, and the JSON Schema that matches a canonical policy statement
// (engine/policy-document.ts: Action/Resource arrays, actions lower-case, Principal an object of
// arrays, condition keys lower-case) against it. One matcher for every service's resource
// policies and for IAM identity policies, so they all read statements the same way.

/** A statement pattern, as written in a policy file. */
export interface StatementPattern {
  /** `Allow` or `Deny`; `noStatementAllowing` always means `Allow`. */
  effect?: "Allow" | "Deny";
  /** `"*"`: the statement names every principal (`"Principal": "*"` or `{"AWS": "*"}`). */
  principal?: "*";
  /** The statement's actions include one of these (lower-case, compared as written). */
  action?: string[];
  /** The statement's actions include one matching this regular expression. */
  actionMatching?: string;
  /** The statement's resources include one of these. */
  resource?: string[];
  /** Each operator's key has (one of its values) this value, e.g. `{"Bool": {"aws:securetransport": "false"}}`. */
  condition?: Record<string, Record<string, string>>;
  /** `true`: the statement has no Condition at all. */
  unconditional?: boolean;
}

const fields = {
  effect: { enum: ["Allow", "Deny"] },
  principal: { const: "*" },
  action: { type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
  actionMatching: { type: "string", format: "regex" },
  resource: { type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
  condition: {
    type: "object",
    minProperties: 1,
    additionalProperties: {
      type: "object",
      minProperties: 1,
      additionalProperties: { type: "string" },
    },
  },
  unconditional: { const: true },
};

/** The meta-schema of a statement pattern (Ajv checks every keyword value against it). */
export const STATEMENT_PATTERN_SCHEMA = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: fields,
};

const containsAny = (values: string[]) =>
  values.length === 1
    ? { type: "array", contains: { const: values[0] } }
    : { type: "array", contains: { enum: values } };

/** The service prefix of an action (`kms:decrypt` -> `kms`), for the wildcards that cover it. */
const covering = (action: string): string[] => {
  const service = action.includes(":") ? action.slice(0, action.indexOf(":")) : undefined;
  return [...new Set([action, "*", ...(service ? [`${service}:*`] : [])])];
};

/**
 * Schema matching a statement's actions. In an Allow, `NotAction` is at least as broad as the
 * actions it does not name: it matches unless it names every wanted action (or a wildcard over it).
 */
function actionMatch(pattern: StatementPattern, allow: boolean): Record<string, unknown> | undefined {
  const { action, actionMatching } = pattern;
  if (!action && actionMatching === undefined) return undefined;
  const direct = action
    ? { required: ["Action"], properties: { Action: containsAny(action) } }
    : {
        required: ["Action"],
        properties: { Action: { type: "array", contains: { type: "string", pattern: actionMatching } } },
      };
  if (!allow) return direct;
  // An Allow with NotAction allows one of the wanted actions when NotAction leaves one of them out;
  // for a pattern, whenever NotAction does not name every action ("*").
  const wanted = action ?? ["*"];
  const notAction = {
    required: ["NotAction"],
    properties: {
      NotAction: action
        ? { anyOf: wanted.map((a) => ({ not: containsAny(covering(a)) })) }
        : { not: { type: "array", contains: { const: "*" } } },
    },
  };
  return { anyOf: [direct, notAction] };
}

/** Schema matching a statement's resources; in an Allow, `NotResource` without them counts too. */
function resourceMatch(resource: string[] | undefined, allow: boolean): Record<string, unknown> | undefined {
  if (!resource) return undefined;
  const direct = { required: ["Resource"], properties: { Resource: containsAny(resource) } };
  if (!allow) return direct;
  const notResource = {
    required: ["NotResource"],
    properties: { NotResource: { not: containsAny([...new Set([...resource, "*"])]) } },
  };
  return { anyOf: [direct, notResource] };
}

/** Schema matching a statement's principal; in an Allow, `NotPrincipal` is everyone but a few. */
function principalMatch(principal: "*" | undefined, allow: boolean): Record<string, unknown> | undefined {
  if (!principal) return undefined;
  const direct = {
    required: ["Principal"],
    properties: {
      Principal: {
        type: "object",
        required: ["AWS"],
        properties: { AWS: { type: "array", contains: { const: "*" } } },
      },
    },
  };
  if (!allow) return direct;
  return {
    anyOf: [direct, { required: ["NotPrincipal"], properties: { NotPrincipal: { type: "object" } } }],
  };
}

function conditionMatch(condition: StatementPattern["condition"]): Record<string, unknown> | undefined {
  if (!condition) return undefined;
  return {
    required: ["Condition"],
    properties: {
      Condition: {
        type: "object",
        required: Object.keys(condition),
        properties: Object.fromEntries(
          Object.entries(condition).map(([operator, keys]) => [
            operator,
            {
              type: "object",
              required: Object.keys(keys),
              properties: Object.fromEntries(
                Object.entries(keys).map(([key, value]) => [
                  key,
                  { type: "array", contains: { const: value } },
                ]),
              ),
            },
          ]),
        ),
      },
    },
  };
}

/** The JSON Schema a statement matches when it is an instance of the pattern. */
export function statementSchema(pattern: StatementPattern): Record<string, unknown> {
  const allow = pattern.effect === "Allow";
  const parts = [
    principalMatch(pattern.principal, allow),
    actionMatch(pattern, allow),
    resourceMatch(pattern.resource, allow),
    conditionMatch(pattern.condition),
  ].filter((p): p is Record<string, unknown> => p !== undefined);
  const schema: Record<string, unknown> = { type: "object" };
  if (pattern.effect) {
    schema.required = ["Effect"];
    schema.properties = { Effect: { const: pattern.effect } };
  }
  if (parts.length > 0) schema.allOf = parts;
  if (pattern.unconditional) schema.not = { required: ["Condition"], properties: { Condition: true } };
  return schema;
}

/** A short description of what a pattern matches, for messages when the policy gives none. */
export function describePattern(pattern: StatementPattern): string {
  const words: string[] = [];
  if (pattern.principal) words.push("every principal");
  if (pattern.action) words.push(pattern.action.join(" or "));
  if (pattern.actionMatching) words.push(`actions matching /${pattern.actionMatching}/`);
  if (pattern.resource) words.push(`on ${pattern.resource.join(" or ")}`);
  const conditions = Object.entries(pattern.condition ?? {}).flatMap(([operator, keys]) =>
    Object.entries(keys).map(([key, value]) => `${operator} ${key} = ${value}`),
  );
  if (conditions.length > 0) words.push(`when ${conditions.join(" and ")}`);
  if (pattern.unconditional) words.push("without a Condition");
  return words.join(" ");
}
