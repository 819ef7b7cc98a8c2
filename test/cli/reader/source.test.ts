// The bytes of an input: gzip detected by content, decompression bombs refused early, the size
// limit named, and one unreadable subdirectory reported while the rest of the tree is read.

import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../../cli/reader/limits.ts";
import { jsonBytes } from "../../../cli/reader/source.ts";
import { InputError } from "../../../engine/errors.ts";
import { ROOT } from "../../support/cli.ts";
import { FIXTURES } from "../../support/fixtures.ts";

const SETPRIV = "/usr/bin/setpriv";

/**
 * root reads any directory, whatever its mode. Run as root without the capabilities that override
 * file permissions (setpriv), so the checkout stays readable wherever it lives (a clone under a
 * private temporary directory is not readable by another user); without setpriv, the caller runs
 * the command as nobody.
 */
function asUnprivileged(command: string[]): [string, string[]] {
  if (process.getuid?.() !== 0 || !existsSync(SETPRIV)) return [command[0]!, command.slice(1)];
  return [SETPRIV, ["--bounding-set=-dac_override,-dac_read_search", ...command]];
}

/** A stream of `chunks` that counts how many bytes were pulled from it. */
function counted(chunks: Buffer[]): { stream: Readable; pulled: () => number } {
  let pulled = 0;
  const stream = Readable.from(
    (function* () {
      for (const chunk of chunks) {
        pulled += chunk.length;
        yield chunk;
      }
    })(),
  );
  return { stream, pulled: () => pulled };
}

async function drain(stream: Readable, limits = DEFAULT_LIMITS): Promise<{ bytes: number; error?: unknown }> {
  let bytes = 0;
  try {
    for await (const chunk of jsonBytes(stream, limits)) bytes += chunk.length;
  } catch (error) {
    return { bytes, error };
  }
  return { bytes };
}

describe("compressed input", () => {
  it("refuses a gzip bomb expanding to 1 GiB after a few MiB, naming --max-ratio", async () => {
    // 128 gzip members of 8 MiB of zeros each: 1 GiB once decompressed, about 1 MiB compressed.
    const member = gzipSync(Buffer.alloc(8 * 1024 * 1024));
    const members = Array.from({ length: 128 }, () => member);
    const total = members.length * member.length;
    const { stream, pulled } = counted(members);
    const { bytes, error } = await drain(stream);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      "decompresses to more than 200 times its size (--max-ratio 200): refused as a possible decompression bomb",
    );
    expect(bytes).toBeLessThan(16 * 1024 * 1024);
    expect(pulled()).toBeLessThan(total / 10);
  });

  it("refuses compressed input beyond --max-input-size, and reads it within the limit", async () => {
    const text = Buffer.from(
      JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ n: i, pad: "x".repeat(400) }))),
    );
    const gz = gzipSync(text);
    const limits = { ...DEFAULT_LIMITS, maxInputBytes: 64 * 1024 };
    const refused = await drain(Readable.from([gz]), limits);
    expect((refused.error as Error).message).toBe(
      "decompresses to more than the input size limit (--max-input-size 64KiB): refused",
    );
    const read = await drain(Readable.from([gz]));
    expect(read).toEqual({ bytes: text.length });
  });

  it("detects gzip by its content, whatever the name; a broken gzip is one reason", async () => {
    const gz = gzipSync('{"a": 1}');
    expect(await drain(Readable.from([gz]))).toEqual({ bytes: 8 });
    const cut = await drain(Readable.from([gz.subarray(0, gz.length - 6)]));
    expect((cut.error as Error).message).toBe("cannot decompress: unexpected end of file");
  });
});

describe("directories", () => {
  it("one unreadable subdirectory is reported and the rest of the tree is read", () => {
    const dir = mkdtempSync(join(tmpdir(), "compliance-tree-"));
    const tree = join(dir, "tree");
    mkdirSync(join(tree, "locked"), { recursive: true });
    mkdirSync(join(tree, "open"));
    const item = join(FIXTURES, "ci/AWS_DynamoDB_Table/rdk-sample-ci.json");
    copyFileSync(item, join(tree, "locked/hidden.json"));
    copyFileSync(item, join(tree, "open/a.json"));
    copyFileSync(item, join(tree, "z.json"));
    for (const d of [dir, tree, join(tree, "open")]) chmodSync(d, 0o755);
    chmodSync(join(tree, "locked"), 0o000);
    const command = [
      process.execPath,
      join(ROOT, "bin/compliance.mjs"),
      "evaluate",
      tree,
      "--format",
      "json",
    ];
    const run = spawnSync(...asUnprivileged(command), {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
      ...(process.getuid?.() === 0 && !existsSync(SETPRIV) ? { uid: 65534, gid: 65534 } : {}),
    });
    chmodSync(join(tree, "locked"), 0o755);
    expect(run.stderr).toBe(
      `compliance evaluate: ${join(tree, "locked")}: cannot read the directory: permission denied\n`,
    );
    expect((JSON.parse(run.stdout) as { results: unknown[] }).results).toHaveLength(2);
    expect(run.status).toBe(2);
  });
});
