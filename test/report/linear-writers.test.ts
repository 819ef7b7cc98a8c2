// The report writers at scale: the hand-written JSON record equals JSON.stringify of the public
// record; the table and SARIF reports keep only what they show; SARIF caps its results with a
// note. (Speed is measured by `npm run bench`, never asserted here.)

import { describe, expect, it } from "vitest";
import { chunked } from "../../cli/output.ts";
import { evaluate } from "../../engine/evaluate.ts";
import { normalise } from "../../engine/normalise.ts";
import { jsonWriter, publicRecord, RECORD_SEPARATOR, recordJson } from "../../engine/report/json.ts";
import { retainer } from "../../engine/report/retained.ts";
import { renderSarif, sarifResultCount } from "../../engine/report/sarif.ts";
import { renderTable } from "../../engine/report/table.ts";
import type { EvaluationRecord, Finding } from "../../engine/types.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";
import { loadFixtures } from "../support/fixtures.ts";
import { sampleInput } from "./sample-input.ts";

const catalogue = repositoryCatalogue();
const now = new Date("2026-11-28T00:00:00Z");
const ratings = [
  { c: 3, i: 3, a: 3 },
  { c: 1, i: 2, a: 1 },
] as const;

function realRecords(): EvaluationRecord[] {
  return [...loadFixtures("ci"), ...loadFixtures("ci-partial")].flatMap((f) =>
    ratings.map((rating) =>
      evaluate(normalise(f.raw, { resourceType: f.resourceType }), catalogue, { rating, now }),
    ),
  );
}

describe("recordJson", () => {
  it("writes the bytes JSON.stringify writes for the public record, on every real item", () => {
    const records = realRecords();
    expect(records.length).toBeGreaterThan(200);
    for (const r of records) expect(recordJson(r)).toBe(JSON.stringify(publicRecord(r)));
  });

  it("also with waivers, names and partial CIA requirements, and escapes every string", () => {
    const input = sampleInput({ hostile: true });
    expect(input.records.some((r) => r.findings.some((f) => f.waiver))).toBe(true);
    for (const r of input.records) expect(recordJson(r)).toBe(JSON.stringify(publicRecord(r)));
    const odd: EvaluationRecord = {
      ...input.records[0]!,
      resourceName: 'quote " backslash \\ newline \n \u2028 \ud800',
      arn: undefined,
      findings: [
        {
          controlId: "X",
          title: "t",
          status: "WAIVED",
          severity: "low",
          message: "m\t",
          cia: { i: 2 },
          required: false,
          waiver: { reason: "r", approver: "a", expires: "2027-01-01" },
        },
      ],
    };
    expect(recordJson(odd)).toBe(JSON.stringify(publicRecord(odd)));
  });

  it("a control id reused with another title, severity or CIA (another catalogue) is written as that finding says", () => {
    const base = sampleInput().records[0]!;
    const finding: Finding = {
      controlId: "SAME.ID",
      title: "first title",
      status: "FAIL",
      severity: "high",
      message: "m",
      cia: { c: 2 },
      required: true,
    };
    const variants: Finding[] = [
      finding,
      { ...finding, title: "second title" },
      { ...finding, severity: "low" },
      { ...finding, cia: { i: 1 } },
      { ...finding, cia: { c: 2 } },
      finding,
    ];
    for (const f of variants) {
      const r: EvaluationRecord = { ...base, findings: [f] };
      expect(recordJson(r)).toBe(JSON.stringify(publicRecord(r)));
    }
  });

  it("records encoded elsewhere, as a run separated by RECORD_SEPARATOR, write the report the records write", () => {
    const records = realRecords().slice(0, 40);
    const summary = {
      resources: records.length,
      byCompliance: { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 },
      bySeverity: {},
      unknown: 0,
      accounts: 0,
      inputErrors: 0,
    };
    let direct = "";
    const one = jsonWriter((t) => {
      direct += t;
    });
    for (const r of records) one.record(r);
    one.end(summary, []);
    const encode = (rs: EvaluationRecord[]) =>
      new TextEncoder().encode(rs.map((r) => recordJson(r)).join(RECORD_SEPARATOR));
    for (const withBytes of [true, false]) {
      let text = "";
      const write = (t: string) => {
        text += t;
      };
      const mixed = withBytes
        ? jsonWriter(write, (b) => {
            text += new TextDecoder().decode(b);
          })
        : jsonWriter(write);
      mixed.encodedRecords(encode(records.slice(0, 10)));
      mixed.encodedRecords(new Uint8Array(0));
      mixed.record(records[10]!);
      mixed.encodedRecords(encode(records.slice(11)));
      mixed.end(summary, []);
      expect(text).toBe(direct);
    }
  });

  it("the JSON writer through the report sink: large byte chunks, all of it, valid UTF-8", () => {
    const chunks: Buffer[] = [];
    const sink = chunked((bytes) => chunks.push(Buffer.from(bytes)));
    const writer = jsonWriter(sink.write);
    const records = realRecords();
    for (let i = 0; i < 10; i++) for (const r of records) writer.record(r);
    writer.end(
      {
        resources: 0,
        byCompliance: { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 },
        bySeverity: {},
        unknown: 0,
        accounts: 0,
        inputErrors: 0,
      },
      [],
    );
    sink.flush();
    expect(chunks.length).toBeLessThan((records.length * 10) / 50);
    // Every chunk ends on a whole character: each decodes on its own.
    const text = chunks.map((c) => new TextDecoder("utf-8", { fatal: true }).decode(c)).join("");
    const parsed = JSON.parse(text) as { results: unknown[] };
    expect(parsed.results).toHaveLength(records.length * 10);
    expect(parsed.results[0]).toEqual(JSON.parse(recordJson(records[0]!)));
  });
});

describe("retained records", () => {
  it("the table of trimmed records equals the table of whole records", () => {
    const input = sampleInput();
    const whole = renderTable(input, { color: false });
    const kept = retainer("table");
    for (const r of structuredClone(input.records)) kept.add(r);
    expect(kept.records.every((r) => r.findings.every((f) => f.status !== "PASS"))).toBe(true);
    expect(renderTable({ ...input, records: kept.records }, { color: false })).toBe(whole);
  });

  it("the table groups tens of thousands of records of one account, each once", () => {
    const base = sampleInput();
    const records = Array.from({ length: 20_000 }, (_, i) => ({
      ...base.records[i % base.records.length]!,
      accountId: "111111111111",
      resourceId: `r-${i}`,
      resourceName: undefined,
    }));
    const text = renderTable({ ...base, records }, { color: false });
    expect(text).toContain("20000 resources");
    expect(text.match(/ r-\d+ /g)).toHaveLength(20_000);
  });

  it("SARIF keeps records until the cap, counts the rest and says so", () => {
    const input = sampleInput();
    const total = input.records.reduce((n, r) => n + sarifResultCount(r), 0);
    expect(total).toBeGreaterThan(3);
    const full = renderSarif(input);
    expect(full.runs[0]!.results).toHaveLength(total);

    const kept = retainer("sarif", 3);
    for (const r of structuredClone(input.records)) kept.add(r);
    const capped = renderSarif(
      { ...input, records: kept.records },
      { maxResults: 3, omitted: kept.sarifOmitted },
    );
    const listed = capped.runs[0]!.results!.length;
    expect(listed).toBeLessThanOrEqual(3);
    const note = capped.runs[0]!.invocations![0]!.toolExecutionNotifications!.at(-1)!;
    expect(note.level).toBe("warning");
    expect(note.message.text).toContain(`${total - listed} more failing findings are not listed`);
    // The cap also holds for records kept whole.
    const direct = renderSarif(input, { maxResults: 2 });
    expect(direct.runs[0]!.results).toHaveLength(2);
    expect(direct.runs[0]!.invocations![0]!.toolExecutionNotifications!.at(-1)!.message.text).toContain(
      `${total - 2} more`,
    );
  });
});
