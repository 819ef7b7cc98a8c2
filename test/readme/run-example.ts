// Runs one documented command the way a reader's shell would, but in this process (fast): the
// `compliance` CLI through cli/run.ts, `cat`, and `echo $?`. Anything else cannot be checked here,
// and the block must be marked illustrative.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { main } from "../../cli/run.ts";

export interface Ran {
  code: number;
  /** stdout and stderr, interleaved as written, minus what was redirected away. */
  output: string[];
}

/** Splits a command line into words: spaces separate, single and double quotes group. */
export function words(command: string): string[] {
  const out: string[] = [];
  let current = "";
  let quote: string | undefined;
  let started = false;
  for (const ch of command.replace(/\s+#\s.*$/, "")) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (/\s/.test(ch)) {
      if (started || current) out.push(current);
      current = "";
      started = false;
    } else current += ch;
  }
  if (started || current) out.push(current);
  return out;
}

function sink(onText: (text: string) => void): Writable {
  return new Writable({
    write(chunk, _enc, done) {
      onText(String(chunk));
      done();
    },
  });
}

export async function runExample(
  command: string,
  root: string,
  previousCode: number,
  now: Date,
): Promise<Ran> {
  const argv = words(command);
  // Redirections: `> FILE` and `2> FILE` send that stream away (not shown), `2>&1` is the default.
  let hideOut = false;
  let hideErr = false;
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i] as string;
    if (w === ">" || w === "1>") {
      hideOut = true;
      i++;
    } else if (w === "2>") {
      hideErr = true;
      i++;
    } else if (w !== "2>&1") args.push(w);
  }
  const [program, ...rest] = args;
  if (program === "echo" && rest.join(" ") === "$?") return { code: 0, output: [String(previousCode)] };
  if (program === "cat" && rest.length === 1) {
    return {
      code: 0,
      output: readFileSync(join(root, rest[0] as string), "utf8")
        .replace(/\n$/, "")
        .split("\n"),
    };
  }
  let cli: string[] | undefined;
  if (program === "npx" && rest[0] === "compliance") cli = rest.slice(1);
  if (program === "node" && rest[0] === "bin/compliance.mjs") cli = rest.slice(1);
  if (!cli)
    throw new Error(`the examples test cannot run \`${command}\`: mark its block "# illustrative: <why>"`);
  let text = "";
  const code = await main(cli, {
    stdout: sink((t) => {
      if (!hideOut) text += t;
    }),
    stderr: sink((t) => {
      if (!hideErr) text += t;
    }),
    now: () => now,
    cwd: root,
  });
  return { code, output: text.replace(/\n$/, "").split("\n") };
}
