// Rule RULE.ACL-OWNER-ONLY, keyword `aclOwnerOnly`: an S3 access control list grants nothing to
// anyone but the bucket owner, i.e. ACLs do not manage access.
//
// `"aclOwnerOnly": true` on the ACL AWS Config records for a bucket
// (`supplementaryConfiguration.AccessControlList`, decoded by the normaliser: `owner.id` and
// `grantList` of `{grantee, permission}`, a grantee being a canonical user `{id, displayName}` or a
// group name such as `AllUsers`) holds when every grant names the owner's canonical id. A grant to
// a group (`AllUsers`, `AuthenticatedUsers`, `LogDelivery`), to an e-mail address or to another
// canonical user fails; so does a non-empty `grantSet` (the older shape). JSON Schema cannot compare
// two fields of one object, hence a keyword. A code keyword: Ajv generates its code inline, so the
// standalone validators of the Lambda bundles still work.

import { _, type CodeKeywordDefinition, type KeywordCxt, str } from "ajv";

export const RULE_ID = "RULE.ACL-OWNER-ONLY";

export const aclOwnerOnlyKeyword: CodeKeywordDefinition = {
  keyword: "aclOwnerOnly",
  type: "object",
  schemaType: "boolean",
  metaSchema: { const: true },
  error: {
    message: ({ params }) =>
      str`grants ${params.others} to someone other than the bucket owner: ACLs must not manage access`,
    params: ({ params }) => _`{others: ${params.others}}`,
  },
  code(cxt: KeywordCxt) {
    const { data, gen } = cxt;
    const owner = gen.const("owner", _`${data}.owner && ${data}.owner.id`);
    const list = gen.const("grants", _`Array.isArray(${data}.grantList) ? ${data}.grantList : []`);
    // Grants to anyone but the owner, as "<grantee> <permission>" for the message.
    const others = gen.const(
      "others",
      _`${list}.filter((g) => !(g && g.grantee && typeof g.grantee == "object" && typeof ${owner} == "string" && g.grantee.id === ${owner})).map((g) => (g && g.grantee && typeof g.grantee == "object" ? (g.grantee.id || g.grantee.emailAddress || "?") : String(g && g.grantee)) + " " + String(g && g.permission))`,
    );
    const legacy = gen.const("legacy", _`Array.isArray(${data}.grantSet) && ${data}.grantSet.length > 0`);
    const text = gen.const("othersText", _`${legacy} ? "grantSet entries" : ${others}.join(", ")`);
    cxt.setParams({ others: text });
    cxt.fail(_`${others}.length > 0 || ${legacy} || typeof ${owner} != "string"`);
  },
};
