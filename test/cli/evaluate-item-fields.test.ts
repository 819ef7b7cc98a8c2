// `compliance evaluate` over items whose capture or creation time is not a time, or whose
// identity fields are not strings: each such item is one line naming the field and the value
// (exit 2), never a raw JavaScript error, never echoed into the report as a time or a type; the
// other items are still evaluated, and the report's "Data as of" is theirs.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";
import { readFixture } from "../support/fixtures.ts";

type Raw = Record<string, unknown>;
const table = readFixture("ci/AWS_DynamoDB_Table/rdk-sample-ci.json") as Raw;
let file: string;

const broken: [Raw, string][] = [
  [
    { configurationItemCaptureTime: "yesterday" },
    '`configurationItemCaptureTime` is not a time: "yesterday"',
  ],
  [
    { configurationItemCaptureTime: "2099-13-45T99:00:00Z" },
    '`configurationItemCaptureTime` is not a time: "2099-13-45T99:00:00Z"',
  ],
  [
    { configurationItemCaptureTime: 1e20 },
    "`configurationItemCaptureTime` is not a time: 100000000000000000000",
  ],
  [{ resourceCreationTime: "soon" }, '`resourceCreationTime` is not a time: "soon"'],
  [{ resourceType: 5 }, "`resourceType` is not a string: 5"],
  [{ resourceId: 123 }, "`resourceId` is not a string: 123"],
  [{ accountId: 12345678901 }, "`accountId` is not a string: 12345678901"],
  [{ awsRegion: ["us-east-2"] }, "`awsRegion` is not a string: an array"],
];

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), "item-fields-"));
  file = join(dir, "items.json");
  writeFileSync(file, JSON.stringify([...broken.map(([change]) => ({ ...table, ...change })), table]));
});

describe("compliance evaluate: items with a time or an identity field that is not one", () => {
  it("names each bad item's field and value on one line, and evaluates the good item (JSON)", async () => {
    const { code, stdout, stderr } = await runCli(["evaluate", file, "--format", "json"]);
    expect(code).toBe(2);
    expect(stderr.split("\n").filter(Boolean)).toEqual(
      broken.map(([, message], i) => `compliance evaluate: ${file}[${i}]: ${message}`),
    );
    const out = JSON.parse(stdout) as {
      results: { resourceId: string; resourceType: string; capturedAt: string }[];
      problems: { source: string; message: string }[];
    };
    expect(out.results).toHaveLength(1);
    expect(out.results[0]).toMatchObject({
      resourceType: "AWS::DynamoDB::Table",
      resourceId: "test",
      capturedAt: "2022-02-21T15:58:19.450Z",
    });
    expect(out.problems.map((p) => p.message)).toEqual(broken.map(([, message]) => message));
    expect(stdout).not.toContain("Invalid time value");
  });

  it("keeps the table's 'Data as of' to the real capture times", async () => {
    const { code, stdout, stderr } = await runCli(["evaluate", file]);
    expect(code).toBe(2);
    expect(stdout).toContain("Data as of 2022-02-21 15:58:19 UTC");
    expect(stdout).not.toMatch(/yesterday|2099|Invalid/);
    expect(stderr).not.toContain("Invalid time value");
  });
});
