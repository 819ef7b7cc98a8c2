// Vitest global setup: rebuilds the compiled library (dist/lib, dist/catalogue) once, before any
// test file starts, when the run includes tests that use it (test/support/library.ts) and a source
// changed since it was built.

import { readFileSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { ensureLibrary } from "./library.ts";

// Spawns of bin/compliance.mjs (`cli([...])` of test/support/cli.ts), compiled modules, the package.
const USES_LIBRARY = /\bcli\(\[|bin\/compliance\.mjs|\bcompiled<|\["pack"/;

export default async function setup(project: TestProject): Promise<void> {
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
  const { testFiles } = await project.globTestFiles(filters);
  if (testFiles.some((file) => USES_LIBRARY.test(readFileSync(file, "utf8")))) ensureLibrary();
}
