// `aclOwnerOnly`: an S3 ACL (as AWS Config records it, decoded) grants nothing beyond the bucket
// owner. Each kind of grantee a real ACL can name, and standalone code generation (the bundles).

import { describe, expect, it } from "vitest";
import { createAjv } from "../../engine/catalogue.ts";
import { describeErrors } from "../../engine/messages.ts";

const ajv = createAjv();
const schema = { type: "object", properties: { acl: { type: "object", aclOwnerOnly: true } } };
const validate = ajv.compile(schema);
const OWNER = "8ac813c84b8ad4d9f3e35f80aaeb254f85922a902ce87ed6b49ccbfa188f5a12";
const OTHER = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";
const ownerGrant = { grantee: { id: OWNER, displayName: null }, permission: "FullControl" };
const acl = (grantList: unknown[], extra: Record<string, unknown> = {}) => ({
  acl: {
    grantSet: null,
    grantList,
    owner: { displayName: null, id: OWNER },
    isRequesterCharged: false,
    ...extra,
  },
});

function check(data: unknown) {
  const ok = validate(data);
  return { ok, messages: ok ? [] : describeErrors(validate.errors ?? []) };
}

describe("aclOwnerOnly", () => {
  it("passes the owner's own grant, and an empty grant list", () => {
    expect(check(acl([ownerGrant])).ok).toBe(true);
    expect(check(acl([])).ok).toBe(true);
  });

  it.each([
    ["the AllUsers group", { grantee: "AllUsers", permission: "Read" }, "AllUsers Read"],
    [
      "the AuthenticatedUsers group",
      { grantee: "AuthenticatedUsers", permission: "Write" },
      "AuthenticatedUsers Write",
    ],
    ["the LogDelivery group", { grantee: "LogDelivery", permission: "Write" }, "LogDelivery Write"],
    [
      "another canonical user",
      { grantee: { id: OTHER, displayName: null }, permission: "Read" },
      `${OTHER} Read`,
    ],
    [
      "an e-mail address",
      { grantee: { emailAddress: "a@example.com" }, permission: "Read" },
      "a@example.com Read",
    ],
  ])("fails a grant to %s, naming it", (_name, grant, shown) => {
    expect(check(acl([ownerGrant, grant])).messages).toEqual([
      `acl grants ${shown} to someone other than the bucket owner: ACLs must not manage access`,
    ]);
  });

  it("fails an ACL whose only grant goes to another account, a non-empty grantSet, and one without an owner", () => {
    expect(check(acl([{ grantee: { id: OTHER }, permission: "FullControl" }])).ok).toBe(false);
    expect(check(acl([ownerGrant], { grantSet: [{ grantee: "AllUsers", permission: "Read" }] })).ok).toBe(
      false,
    );
    expect(check({ acl: { grantList: [ownerGrant] } }).ok).toBe(false);
  });

  it("refuses any value but true when the schema is compiled", () => {
    expect(() => ajv.compile({ type: "object", aclOwnerOnly: false })).toThrow();
  });

  it("survives standalone code generation", async () => {
    const { default: standalone } = await import("ajv/dist/standalone/index.js");
    const generate = (standalone as unknown as { default?: typeof standalone }).default ?? standalone;
    const standaloneAjv = createAjv();
    standaloneAjv.opts.code.source = true;
    const code = generate(standaloneAjv, standaloneAjv.compile(schema));
    const module = { exports: {} as Record<string, unknown> };
    new Function("module", "exports", "require", code)(module, module.exports, () => {
      throw new Error("standalone code must not require anything");
    });
    const run = module.exports as unknown as { default?: (d: unknown) => boolean } & ((
      d: unknown,
    ) => boolean);
    const fn = run.default ?? run;
    expect(fn(acl([ownerGrant]))).toBe(true);
    expect(fn(acl([ownerGrant, { grantee: "AllUsers", permission: "Read" }]))).toBe(false);
  });
});
