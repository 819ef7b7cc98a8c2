// Where a report goes: stdout, or a file written in full to a temporary file beside it and renamed
// at the end (an interrupted run never leaves half a report, and never truncates a file before its
// inputs are read). Written in large chunks: one system call per 256 KiB, not one per record. A
// report path that is one of the inputs, or an item file inside a directory being read, is refused.

import { randomBytes } from "node:crypto";
import { closeSync, mkdirSync, openSync, realpathSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve, sep } from "node:path";
import { InputError } from "../engine/errors.ts";
import { describeFsError } from "./errors.ts";
import { prepareOutput } from "./output-path.ts";
import { type InputPlan, ITEM_FILE } from "./reader/files.ts";

/** Output is handed to the system in chunks of this many bytes (about). */
export const OUTPUT_CHUNK = 256 * 1024;

export interface ReportSink {
  write(chunk: string): void;
  /** Text already encoded as UTF-8 (by a worker thread), in its place among the strings written. */
  writeBytes(bytes: Uint8Array): void;
  /** Everything written: flush (and, for a file, put it in place). */
  end(): void;
  /** Something failed: a file is not put in place (its temporary file is removed). */
  abort(): void;
}

/**
 * Encodes small writes as UTF-8 straight into a byte buffer and passes the bytes on in chunks of
 * about `size` bytes. Encoding each string as it comes costs a fraction of joining the strings
 * first: a joined chunk with one character beyond Latin-1 is two bytes a character, and encoding
 * a long joined or concatenated string is several times slower than encoding its parts.
 * `flush` receives a view of the buffer, valid until it returns; a string too large for the
 * buffer is encoded on its own.
 */
export function chunked(
  flush: (bytes: Uint8Array) => void,
  size = OUTPUT_CHUNK,
): { write(s: string): void; bytes(b: Uint8Array): void; flush(): void } {
  const buffer = Buffer.allocUnsafe(size);
  let used = 0;
  const drain = () => {
    if (used === 0) return;
    const bytes = buffer.subarray(0, used);
    used = 0;
    flush(bytes);
  };
  return {
    write(s) {
      // A UTF-16 code unit is at most 3 bytes of UTF-8.
      if (used + s.length * 3 > size) {
        drain();
        if (s.length * 3 > size) {
          flush(Buffer.from(s, "utf8"));
          return;
        }
      }
      used += buffer.write(s, used, "utf8");
    },
    bytes(b) {
      if (used + b.length > size) {
        drain();
        if (b.length > size) {
          flush(b);
          return;
        }
      }
      buffer.set(b, used);
      used += b.length;
    },
    flush: drain,
  };
}

/** A stream (stdout) as a report sink, written in chunks. */
export function streamSink(stream: { write(chunk: Uint8Array): unknown }): ReportSink {
  // The stream may hold a chunk after write returns: it gets a copy.
  const buffer = chunked((bytes) => stream.write(Buffer.from(bytes)));
  return { write: buffer.write, writeBytes: buffer.bytes, end: buffer.flush, abort: buffer.flush };
}

/** A report file: written to `.NAME.PID-RANDOM.tmp` beside it, renamed to NAME by `end`. */
export function fileSink(path: string): ReportSink {
  const fail = (error: unknown) => new InputError(`cannot write the report: ${describeFsError(error)}`, path);
  // A file in the way of the directory, or a directory where the file goes: named as such.
  prepareOutput(path, process.cwd(), "file", "the report");
  // A fresh name, created exclusively: never follows a link planted where the report goes.
  const temp = join(
    dirname(resolve(path)),
    `.${basename(path)}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`,
  );
  let fd: number;
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    fd = openSync(temp, "wx");
  } catch (error) {
    throw fail(error);
  }
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  const buffer = chunked((bytes) => {
    try {
      writeSync(fd, bytes);
    } catch (error) {
      throw fail(error);
    }
  });
  return {
    write: buffer.write,
    writeBytes: buffer.bytes,
    end() {
      try {
        buffer.flush();
        close();
        renameSync(temp, path);
      } catch (error) {
        this.abort();
        throw error instanceof InputError ? error : fail(error);
      }
    },
    abort() {
      try {
        close();
        unlinkSync(temp);
      } catch {
        // Already gone.
      }
    },
  };
}

function realpathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    // Not there yet: its directory's real path and its name.
    try {
      return join(realpathSync(dirname(resolve(path))), basename(path));
    } catch {
      return resolve(path);
    }
  }
}

/**
 * Refuses a report path that would destroy or feed an input: one of the input files (or the
 * accounts file), or an item file (.json...) inside a directory being read; and a `.gz` name,
 * which the report (never compressed) would belie: a later run would try to decompress it.
 */
export function checkOutputPath(option: string, path: string, plan: InputPlan, accountsFile?: string): void {
  if (/\.gz$/i.test(path)) {
    throw new InputError(
      `${option} names a .gz file, but the report is not compressed: refused (name it without .gz)`,
      path,
    );
  }
  const target = realpathOrSelf(path);
  const inputs = [...plan.files.map((f) => f.path), ...(accountsFile ? [accountsFile] : [])];
  for (const input of inputs) {
    if (input !== "-" && realpathOrSelf(input) === target) {
      throw new InputError(
        `${option} names one of the inputs: refused (the report would overwrite it)`,
        path,
      );
    }
  }
  if (!ITEM_FILE.test(basename(target))) return;
  const inside = plan.directories.find((dir) => target.startsWith(dir.endsWith(sep) ? dir : dir + sep));
  if (inside !== undefined) {
    throw new InputError(
      `${option} names a file inside a directory being read (the next run would read the report as input): refused`,
      path,
    );
  }
}
