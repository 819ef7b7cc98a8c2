// The documentation's command examples, and how the examples test reads them.
//
// A fenced block marked `console` is a checked example: each line starting with `$ ` is a command,
// run with the repository as the working directory; the lines up to the next command are its
// expected output (stdout and stderr as a terminal shows them). Before comparing, volatile parts
// (times, sizes, hashes, durations) are masked on both sides. In the expected output, a line `...`
// stands for any number of lines, and a line ending in `...` or `…` for any line that starts with
// what precedes it.
//
// A block whose first line starts with `# illustrative` is not run (say why on that line: it needs
// a build, AWS, or an input the reader makes). Any other block with commands in it (`$ `, `npx `,
// `npm `, `node `) must be one of the two: the test fails for a command example that is neither.

import { readFileSync } from "node:fs";

export interface Block {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  info: string;
  lines: string[];
}

export interface Step {
  command: string;
  expected: string[];
}

const SHELL_INFOS = new Set(["", "console", "sh", "bash", "shell"]);
const COMMAND = /^(\$ |npx |npm |node )/;

export function fencedBlocks(file: string, text = readFileSync(file, "utf8")): Block[] {
  const blocks: Block[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i]?.match(/^(`{3,})(.*)$/);
    if (!open) continue;
    const fence = open[1] as string;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && lines[j]?.trimEnd() !== fence) body.push(lines[j++] as string);
    blocks.push({ file, line: i + 1, info: (open[2] ?? "").trim(), lines: body });
    i = j;
  }
  return blocks;
}

export const isIllustrative = (b: Block): boolean => b.lines[0]?.startsWith("# illustrative") === true;
export const isChecked = (b: Block): boolean => b.info.split(/\s+/)[0] === "console" && !isIllustrative(b);

/** A command example that is neither checked nor marked illustrative. */
export const isUnmarkedCommandExample = (b: Block): boolean =>
  SHELL_INFOS.has(b.info.split(/\s+/)[0] ?? "") &&
  !isChecked(b) &&
  !isIllustrative(b) &&
  b.lines.some((l) => COMMAND.test(l));

export function steps(block: Block): Step[] {
  const out: Step[] = [];
  for (const line of block.lines) {
    if (line.startsWith("$ ")) out.push({ command: line.slice(2), expected: [] });
    else if (out.length > 0) out[out.length - 1]?.expected.push(line);
    else throw new Error(`${block.file}:${block.line}: output before the first "$ " command`);
  }
  return out;
}

const MASKS: [RegExp, string][] = [
  [/\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z| UTC)?/g, "<time>"],
  [/\b[0-9a-f]{64}\b/g, "<sha256>"],
  [/-[0-9a-f]{16}\.zip\b/g, "-<hash>.zip"],
  [/\b\d+(?:\.\d+)? ?(?:bytes|KiB|MiB)\b/g, "<size>"],
  [/\b\d+(?:\.\d+)? ?(?:ms|µs|s)\b/g, "<duration>"],
];

export function mask(line: string): string {
  let out = line.trimEnd();
  for (const [pattern, replacement] of MASKS) out = out.replace(pattern, replacement);
  return out;
}

/** Whether `actual` lines match `expected` (both masked), with `...` elisions. */
export function matches(expected: readonly string[], actual: readonly string[]): boolean {
  const exp = trimBlank(expected.map(mask));
  const act = trimBlank(actual.map(mask));
  const memo = new Map<string, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === exp.length) result = j === act.length;
    else if (exp[i]?.trim() === "..." || exp[i]?.trim() === "…")
      result = go(i + 1, j) || (j < act.length && go(i, j + 1));
    else if (j === act.length) result = false;
    else result = lineMatches(exp[i] as string, act[j] as string) && go(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}

function lineMatches(expected: string, actual: string): boolean {
  const prefix = expected.match(/^(.*?)(?:\.\.\.|…)$/)?.[1];
  if (prefix !== undefined && prefix.trim() !== "") return actual.startsWith(prefix.trimEnd());
  return expected === actual;
}

function trimBlank(lines: string[]): string[] {
  const out = [...lines];
  while (out.length > 0 && out[out.length - 1] === "") out.pop();
  while (out.length > 0 && out[0] === "") out.shift();
  return out;
}
