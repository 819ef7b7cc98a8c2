// engine/redact.ts: what a message may quote of an item. Secrets are masked, the property named.

import { describe, expect, it } from "vitest";
import { isSecretName, isSecretPointer, MASK, redact } from "../../engine/redact.ts";

describe("secret-looking names", () => {
  it.each([
    "password",
    "DB_PASSWORD",
    "MasterUserPassword",
    "passphrase",
    "clientSecret",
    "SECRET_KEY",
    "aws_secret_access_key",
    "SecretAccessKey",
    "apiKey",
    "X-API-KEY",
    "GITHUB_TOKEN",
    "refreshToken",
    "privateKey",
    "credentials",
    "Authorization",
    "DATABASE_CONNECTION_STRING",
  ])("%s is secret", (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each([
    "kmsKeyId",
    "KmsMasterKeyId",
    "keyState",
    "SecretArn",
    "secretId",
    "SecretName",
    "rotationEnabled",
    "deletionProtectionEnabled",
    "functionName",
    "AccessKeyId",
    "AccountAccessKeysPresent",
    "password_enabled",
    "MinimumPasswordLength",
    "access_key_1_last_rotated",
  ])("%s is not", (name) => {
    expect(isSecretName(name)).toBe(false);
  });

  it("every Lambda environment variable is secret, whatever its name", () => {
    expect(isSecretPointer("/configuration/environment/variables/LOG_LEVEL")).toBe(true);
    expect(isSecretPointer("/configuration/Environment/Variables")).toBe(true);
    expect(isSecretPointer("/configuration/environment")).toBe(false);
    expect(isSecretPointer("/configuration/timeout")).toBe(false);
  });
});

describe("redact", () => {
  it("masks a secret value, saying how long it was", () => {
    expect(redact("hunter2-SECRET", "/configuration/masterUserPassword")).toBe(MASK(14));
    expect(redact(42, "/configuration/environment/variables/PIN")).toBe(MASK(2));
    expect(redact(true, "/configuration/apiKeyRequired")).toBe(true);
  });

  it("masks secret members inside a quoted object and keeps the rest", () => {
    const configuration = {
      functionName: "payments",
      environment: { variables: { DB_PASSWORD: "hunter2-SECRET", LOG_LEVEL: "debug" } },
      nested: [{ token: "ghp_abc", region: "eu-west-1" }],
    };
    expect(redact(configuration, "/configuration")).toEqual({
      functionName: "payments",
      environment: { variables: { DB_PASSWORD: MASK(14), LOG_LEVEL: MASK(5) } },
      nested: [{ token: MASK(7), region: "eu-west-1" }],
    });
    expect(JSON.stringify(redact(configuration))).not.toContain("hunter2");
  });

  it("keeps prototype keys as plain data", () => {
    const value = JSON.parse('{"__proto__": {"password": "p4ss"}, "ok": 1}');
    const out = redact(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(["__proto__", "ok"]);
    expect(JSON.stringify(out)).toBe(`{"__proto__":{"password":"${MASK(4)}"},"ok":1}`);
  });
});
