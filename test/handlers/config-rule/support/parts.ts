// What a bundle carries (its source map's sources) and which of its embedded parts an invocation
// compiles: the Config rule and the hook keep each service's validators as deflated text in their
// file, compiled the first time an invocation needs them (build/single-file.mjs).

import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Lambda } from "./lambda.ts";

export interface SourceMap {
  sources?: string[];
  sections?: { offset: { line: number; column: number }; map: SourceMap }[];
}

/** The sources a bundle's source map names (an index map: those of every section). */
export function sourcesOf(bundle: string): string[] {
  const map = JSON.parse(readFileSync(`${bundle}.map`, "utf8")) as SourceMap;
  return map.sections ? map.sections.flatMap((s) => s.map.sources ?? []) : (map.sources ?? []);
}

/**
 * A module that imports the bundle and records every embedded part it compiles (the bundle's
 * loader compiles a part with `new Function`, naming it by a sourceURL comment `<bundle>/<id>`);
 * once the bundle is imported (the cold start) and after each invocation it logs them:
 * `{ message: "parts compiled", parts }`.
 */
export function recordingWrapper(dir: string, bundle: string): string {
  const wrapper = join(dir, "recording.mjs");
  writeFileSync(
    wrapper,
    `const MARK = ${JSON.stringify(`//# sourceURL=${basename(bundle)}/`)};
const parts = [];
const NativeFunction = globalThis.Function;
globalThis.Function = new Proxy(NativeFunction, {
  construct(target, args, newTarget) {
    const text = String(args.at(-1));
    const at = text.lastIndexOf(MARK);
    if (at >= 0) parts.push(text.slice(at + MARK.length).trim());
    return Reflect.construct(target, args, newTarget === globalThis.Function ? target : newTarget);
  },
});
const { handler: bundled } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
console.log(JSON.stringify({ message: "parts compiled", parts: [...parts] }));
export async function handler(event, context) {
  try {
    return await bundled(event, context);
  } finally {
    console.log(JSON.stringify({ message: "parts compiled", parts }));
  }
}
`,
  );
  return wrapper;
}

/** The parts compiled so far, from the last "parts compiled" log line. */
export function partsCompiled(lambda: Lambda): string[] {
  const lines = lambda.logs.filter((l) => l.message === "parts compiled");
  return (lines.at(-1)?.parts as string[] | undefined) ?? [];
}

/** The services whose validators are among these parts (a part is named `<service>-<hash>.mjs`). */
export function validatorServices(parts: string[], services: Set<string>): string[] {
  return parts
    .map((id) => /(?:^|\/)([a-z0-9]+)-[A-Z0-9]+\.mjs$/.exec(id)?.[1])
    .filter((name): name is string => name !== undefined && services.has(name))
    .sort();
}
