import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { chunked, fileSink } from "../../cli/output.ts";

describe("chunked: strings encoded into byte chunks", () => {
  const collect = (size: number) => {
    const chunks: Buffer[] = [];
    const c = chunked((bytes) => chunks.push(Buffer.from(bytes)), size);
    return { c, chunks };
  };

  it("gathers small writes and hands them over when the next would not fit", () => {
    const { c, chunks } = collect(12);
    c.write("ab");
    c.write("cd");
    expect(chunks).toEqual([]);
    c.write("e"); // 4 bytes used; 3 more fit in 12
    c.write("fgh"); // 5 + 9 > 12: the first five go
    c.flush();
    expect(chunks.map(String)).toEqual(["abcde", "fgh"]);
  });

  it("never splits a character, and passes a string too large for the buffer on its own", () => {
    const { c, chunks } = collect(16);
    c.write("é…");
    c.write("x".repeat(40));
    c.write("→z");
    c.flush();
    for (const chunk of chunks)
      expect(() => new TextDecoder("utf-8", { fatal: true }).decode(chunk)).not.toThrow();
    expect(Buffer.concat(chunks).toString("utf8")).toBe(`é…${"x".repeat(40)}→z`);
    expect(chunks.map(String)).toEqual(["é…", "x".repeat(40), "→z"]);
  });

  it("a flush with nothing written hands over nothing", () => {
    const { c, chunks } = collect(8);
    c.flush();
    expect(chunks).toEqual([]);
  });

  it("takes bytes already encoded in their place among the strings, a large run on its own", () => {
    const { c, chunks } = collect(8);
    c.write("ab");
    c.bytes(Buffer.from("cd"));
    c.write("é");
    c.bytes(Buffer.from("0123456789"));
    c.bytes(Buffer.from("xy"));
    c.flush();
    expect(chunks.map(String)).toEqual(["abcdé", "0123456789", "xy"]);
  });
});

describe("fileSink", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("writes UTF-8 in full, beside the target until end, then in place", () => {
    dir = mkdtempSync(join(tmpdir(), "sink-"));
    const path = join(dir, "report.json");
    const sink = fileSink(path);
    const parts = Array.from({ length: 50_000 }, (_, i) => `{"n":${i},"m":"≥ ${i} …"}\n`);
    for (const p of parts) sink.write(p);
    expect(readdirSync(dir)).toHaveLength(1);
    expect(readdirSync(dir)[0]).not.toBe("report.json");
    sink.end();
    expect(readdirSync(dir)).toEqual(["report.json"]);
    expect(readFileSync(path, "utf8")).toBe(parts.join(""));
  });

  it("abort leaves no file behind", () => {
    dir = mkdtempSync(join(tmpdir(), "sink-"));
    const sink = fileSink(join(dir, "report.json"));
    sink.write("partial");
    sink.abort();
    expect(readdirSync(dir)).toEqual([]);
  });
});
