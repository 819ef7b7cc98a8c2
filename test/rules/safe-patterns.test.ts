// Patterns cannot hang an evaluation: checks run them on RE2 (linear time), in the compiled and
// in the standalone (Lambda bundle) validators; a pattern RE2 cannot run is refused at its line;
// and `validate`'s ReDoS analysis (recheck, pure JavaScript) names a vulnerable pattern's place
// and reason. Known-bad patterns from the ReDoS literature: `^(a+)+$`, `(\w+\s?)*$`, `(a|a)*b`.

import { createRequire } from "node:module";
import standaloneModule from "ajv/dist/standalone/index.js";
import { describe, expect, it } from "vitest";
import { analyse, patternSafetyProblems, vulnerability } from "../../cli/pattern-safety.ts";
import { checkCatalogue, createAjv } from "../../engine/catalogue.ts";
import { linearRegExp, patternsOf, unsupportedSyntax } from "../../engine/linear-regexp.ts";
import { describeErrors } from "../../engine/messages.ts";
import definitions from "../../policies/definitions.json" with { type: "json" };

type Standalone = typeof standaloneModule;
const standaloneCode: Standalone =
  (standaloneModule as unknown as { default?: Standalone }).default ?? standaloneModule;

const EVIL = "^(a+)+$";
/** 40 characters that make a backtracking engine try 2^40 ways before failing. */
const ATTACK = `${"a".repeat(39)}!`;

describe("the engine's patterns run on RE2", () => {
  const check = { at: { "/name": { type: "string", pattern: EVIL } } };

  it("judges a catastrophic pattern on a hostile input at once, compiled", () => {
    const validate = createAjv().compile(check);
    expect(validate({ name: ATTACK })).toBe(false);
    expect(describeErrors(validate.errors ?? [])).toEqual([
      `name is "${ATTACK}", expected to match /${EVIL}/`,
    ]);
    expect(validate({ name: "aaaa" })).toBe(true);
  });

  it("and in the standalone code the Lambda bundles embed", () => {
    const ajv = createAjv();
    ajv.opts.code.source = true;
    ajv.addSchema(check, "compliance:check:0");
    const code = standaloneCode(ajv, { c0: "compliance:check:0" });
    expect(code).toContain('require("re2js")');
    const module = { exports: {} as Record<string, (data: unknown) => boolean> };
    new Function("module", "exports", "require", code)(
      module,
      module.exports,
      createRequire(import.meta.url),
    );
    expect(module.exports.c0!({ name: ATTACK })).toBe(false);
    expect(module.exports.c0!({ name: "aaaa" })).toBe(true);
  });

  it("matches as JavaScript does on the catalogue's kind of patterns: unanchored, classes, escapes", () => {
    for (const [pattern, input] of [
      [":policy/AdministratorAccess$", "arn:aws:iam::aws:policy/AdministratorAccess"],
      ["^arn:aws[a-z-]*:wafv2?(-regional)?:", "arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/a/b"],
      ["^[a-z0-9-]+:\\*$", "s3:*"],
      ["^(.*:)?alias/aws/", "arn:aws:kms:eu-west-1:111111111111:alias/aws/sqs"],
      ["^\\d{12}$", "111111111111"],
    ] as const) {
      for (const text of [input, `x${input}`, input.slice(1)]) {
        expect(linearRegExp(pattern).test(text), `${pattern} on ${text}`).toBe(
          new RegExp(pattern, "u").test(text),
        );
      }
    }
  });

  it("refuses, at the pattern's line, syntax RE2 cannot run in linear time", () => {
    expect(unsupportedSyntax("^(?!(.*:)?alias/aws/)")).toMatch(/unsupported Perl syntax: `\(\?!`/);
    expect(unsupportedSyntax("(a)\\1")).toMatch(/invalid escape sequence/);
    expect(unsupportedSyntax(EVIL)).toBeUndefined();
    const policy = {
      service: "sqs",
      title: "Amazon SQS",
      iamPrefixes: ["sqs"],
      resourceTypes: ["AWS::SQS::Queue"],
      controls: [
        {
          id: "SQS.CMK",
          title: "Queues use a customer managed key",
          resourceType: "AWS::SQS::Queue",
          severity: "high",
          cia: { c: 3 },
          rationale: "Only a customer managed key lets the owner restrict who can decrypt.",
          remediation: { console: "SQS > Queues > Edit", cloudformation: "KmsMasterKeyId: <key>" },
          references: ["AWS Config sqs-queue-encrypted"],
          check: { at: { "/configuration/KmsMasterKeyId": { type: "string", pattern: "^(?!alias/aws/)" } } },
          cases: [
            { name: "pass", expect: "PASS", item: {} },
            { name: "fail", expect: "FAIL", item: {} },
          ],
        },
      ],
    };
    const text = JSON.stringify(policy, null, 2);
    const { problems } = checkCatalogue([{ file: "policies/sqs.json", text }]);
    const line = text.split("\n").findIndex((l) => l.includes('"pattern": "^(?!alias/aws/)"')) + 1;
    expect(problems).toEqual([
      expect.objectContaining({
        pointer: "/controls/0/check/at/~1configuration~1KmsMasterKeyId/pattern",
        line,
        message: expect.stringMatching(/^pattern "\^\(\?!alias\/aws\/\)" is not RE2 syntax.*`\(\?!`$/),
      }),
    ]);
  });
});

describe("patternsOf", () => {
  it("finds pattern values, patternProperties keys and the vocabulary's actionMatching, not data", () => {
    const check = {
      at: { "/a": { pattern: "^x" } },
      patternProperties: { "^y": { pattern: "^z" } },
      noStatementAllowing: { actionMatching: "^s3:" },
      properties: { pattern: { const: { pattern: "not a schema" } } },
      enum: [{ pattern: "data" }],
    };
    expect(patternsOf(check, "/c")).toEqual([
      { pattern: "^x", pointer: "/c/at/~1a/pattern" },
      { pattern: "^y", pointer: "/c/patternProperties/^y" },
      { pattern: "^z", pointer: "/c/patternProperties/^y/pattern" },
      { pattern: "^s3:", pointer: "/c/noStatementAllowing/actionMatching" },
    ]);
  });
});

describe("validate's ReDoS analysis", () => {
  it("finds the known-bad patterns vulnerable, saying how and where", () => {
    const diagnostics = analyse(EVIL);
    expect(diagnostics.status).toBe("vulnerable");
    expect(vulnerability(EVIL, diagnostics)).toMatch(
      /^pattern "\^\(a\+\)\+\$" can backtrack catastrophically: exponential.* time in "a\+?", e\.g\. on .+; rewrite it/,
    );
    expect(analyse("(\\w+\\s?)*$").status).toBe("vulnerable");
    expect(analyse("(a|a)*b").status).toBe("vulnerable");
  });

  it("finds the catalogue's own kinds of patterns safe", () => {
    expect(analyse(":policy/AdministratorAccess$").status).toBe("safe");
    expect(analyse("^[a-z0-9-]+:\\*$").status).toBe("safe");
  });

  it("reports a vulnerable pattern in a policy file as an error at its line and column", () => {
    const text = JSON.stringify(
      { controls: [{ check: { at: { "/configuration/name": { type: "string", pattern: EVIL } } } }] },
      null,
      2,
    );
    const line = text.split("\n").findIndex((l) => l.includes('"pattern"')) + 1;
    expect(patternSafetyProblems([{ file: "policies/x.json", text }])).toEqual([
      expect.objectContaining({
        file: "policies/x.json",
        level: "error",
        pointer: "/controls/0/check/at/~1configuration~1name/pattern",
        line,
        column: text.split("\n")[line - 1]!.indexOf('"pattern"') + 1,
        message: expect.stringContaining("can backtrack catastrophically"),
      }),
    ]);
  });

  it("keeps the shared definitions' patterns RE2 syntax and free of catastrophic backtracking", () => {
    for (const { pattern } of patternsOf(definitions, "")) {
      expect(unsupportedSyntax(pattern), pattern).toBeUndefined();
      expect(analyse(pattern).status, pattern).not.toBe("vulnerable");
    }
  });
});
