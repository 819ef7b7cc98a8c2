// The built bundle (npm run build): self-contained, the catalogue embedded with validators
// generated at build time, a source map beside it.

import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigEndpoint } from "../../support/config-endpoint.ts";
import { readFixture } from "../../support/fixtures.ts";
import { BUNDLE, ensureBundle } from "./support/bundle.ts";
import { changeEvent } from "./support/events.ts";
import { sourceCatalogue } from "./support/expected.ts";
import { handlerEnv, Lambda } from "./support/lambda.ts";

let endpoint: ConfigEndpoint;
let lambda: Lambda;
let text: string;

beforeAll(async () => {
  ensureBundle();
  text = readFileSync(BUNDLE, "utf8");
  endpoint = await ConfigEndpoint.start();
  lambda = await Lambda.start(handlerEnv(endpoint.url));
});
afterAll(async () => {
  await lambda.stop();
  await endpoint.close();
});

describe("dist/handlers/config-rule.mjs", () => {
  it("loads the embedded catalogue at cold start without compiling a schema", () => {
    const { catalogue } = sourceCatalogue();
    expect(lambda.logs).toContainEqual(
      expect.objectContaining({
        message: "catalogue loaded",
        validators: "standalone",
        controls: catalogue.controls.length,
        services: catalogue.policies.length,
      }),
    );
  });

  it("is self-contained: it runs from a folder with nothing else in it", async () => {
    // Only the .mjs file: no chunks beside it, no source map, no node_modules.
    const dir = mkdtempSync(join(tmpdir(), "config-rule-bundle-"));
    const copy = join(dir, "config-rule.mjs");
    copyFileSync(BUNDLE, copy);
    expect(readdirSync(dir)).toEqual(["config-rule.mjs"]);
    const alone = await Lambda.start(handlerEnv(endpoint.url), copy);
    try {
      const table = readFixture("ci/AWS_DynamoDB_Table/rdk-sample-ci.json");
      const outcome = await alone.invoke(changeEvent(table, { resultToken: "t" }));
      expect(outcome).toMatchObject({ status: "evaluated", written: 1 });
    } finally {
      await alone.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is minified, exports handler, and points to its source map", () => {
    // Local names are mangled (the handler's own functions do not appear by name).
    expect(text).not.toContain("scheduledEvaluations");
    expect(text).not.toContain("parseRuleParameters");
    expect(text).toMatch(/export\s*\{[^}]*\bas handler\b|export\s*\{[^}]*\bhandler\b/);
    expect(text.trimEnd().endsWith("//# sourceMappingURL=config-rule.mjs.map")).toBe(true);
    expect(existsSync(`${BUNDLE}.map`)).toBe(true);
  });
});
