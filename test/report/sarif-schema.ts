// The SARIF 2.1.0 JSON schema shipped by @microsoft/jest-sarif (draft-04, hence ajv-draft-04),
// compiled once for every SARIF test.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv04 from "ajv-draft-04";
import addFormatsModule from "ajv-formats";
import { expect } from "vitest";

const require = createRequire(import.meta.url);
const schemaPath = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
const addFormats =
  (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
// The schema's `language` pattern has a stray "]" that only non-unicode regular expressions accept.
const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
export const validateSarif = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));

export function expectValid(log: unknown): void {
  // Round-trip through JSON: what is written is what is checked.
  const ok = validateSarif(JSON.parse(JSON.stringify(log)));
  expect(validateSarif.errors ?? [], JSON.stringify(validateSarif.errors?.slice(0, 5))).toEqual([]);
  expect(ok).toBe(true);
}
