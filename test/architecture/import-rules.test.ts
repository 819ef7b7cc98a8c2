// The import rules of docs/ARCHITECTURE.md are enforced by Biome (biome.json `overrides`, run by
// `npm run check` in `npm test`). This shows the rules bite: probe files that break each rule,
// placed in a copy of the folder layout with the repository's own Biome configuration, fail the
// lint with the rule's message; files that keep the rules pass.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "compliance-import-rules-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = JSON.parse(readFileSync(join(ROOT, "biome.json"), "utf8"));
delete config.$schema;
config.vcs = { enabled: false };
writeFileSync(join(dir, "biome.json"), JSON.stringify(config));

const BREAKING: [path: string, source: string, message: string][] = [
  [
    "engine/fs.ts",
    'import { readFileSync } from "node:fs";\n\nexport const x = readFileSync;\n',
    "read no files",
  ],
  ["engine/cli.ts", 'import { main } from "../cli/main.ts";\n\nexport const x = main;\n', "are pure"],
  [
    "engine/report/handlers.ts",
    'import { h } from "../../handlers/config-rule.ts";\n\nexport const x = h;\n',
    "are pure",
  ],
  [
    "engine/sdk.ts",
    'import { ConfigServiceClient } from "@aws-sdk/client-config-service";\n\nexport const x = ConfigServiceClient;\n',
    "no AWS SDK",
  ],
  ["engine/env.ts", "export const x = process.env.HOME;\n", "global variable process"],
  [
    "rules/engine.ts",
    'import { evaluate } from "../engine/evaluate.ts";\n\nexport const x = evaluate;\n',
    "rules/",
  ],
  [
    "cli/handlers.ts",
    'import { h } from "../handlers/config-rule.ts";\n\nexport const x = h;\n',
    "nothing imports handlers/",
  ],
  ["handlers/cli.ts", 'import { main } from "../cli/main.ts";\n\nexport const x = main;\n', "never the CLI"],
  ["loader/cli.ts", 'import { main } from "../cli/main.ts";\n\nexport const x = main;\n', "loader/"],
];
const KEEPING: [path: string, source: string][] = [
  ["engine/ok.ts", 'import { isGone } from "./normalise.ts";\n\nexport const x = isGone;\n'],
  ["cli/ok.ts", 'import { readFileSync } from "node:fs";\n\nexport const x = readFileSync;\n'],
  ["handlers/ok.ts", 'import { evaluate } from "../engine/evaluate.ts";\n\nexport const x = evaluate;\n'],
];

// One Biome run over every probe file.
for (const [path, source] of [...BREAKING, ...KEEPING]) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), source);
}
const run = spawnSync(join(ROOT, "node_modules/.bin/biome"), ["lint", "--max-diagnostics=none", "."], {
  cwd: dir,
  encoding: "utf8",
});
const output = `${run.stdout}${run.stderr}`;
/** The diagnostics Biome printed for one file (each starts with `<path>:<line>:<column>`). */
const diagnosticsOf = (path: string) =>
  output
    .split(/\n(?=\S+:\d+:\d+ )/)
    .filter((block) => block.startsWith(`${path}:`))
    .join("\n");

describe("the import rules", () => {
  it("fail the lint as a whole when a file breaks them", () => {
    expect(run.status).toBe(1);
  });

  it.each(BREAKING)("%s breaking a rule is reported with the rule's message", (path, _source, message) => {
    expect(diagnosticsOf(path)).toContain(message);
  });

  it.each(KEEPING)("%s keeping the rules is not reported", (path) => {
    expect(diagnosticsOf(path)).toBe("");
  });
});
