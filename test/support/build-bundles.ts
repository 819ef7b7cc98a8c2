// Vitest global setup: builds the handler bundles (dist/handlers) once, in the main process,
// before any test file starts, when the run includes tests that use them (the handler tests, the
// packaging and SBOM tests) and a source changed since the last build. The test files then load the
// built bundles instead of building their own; `ensureBundle` in them is a freshness check.

import type { TestProject } from "vitest/node";
import { ensureBundle } from "./bundles.ts";

const USES_BUNDLES =
  /[\\/]test[\\/](handlers[\\/]|deploy[\\/]package\.test\.ts$|supply-chain[\\/]sbom\.test\.ts$)/;

export default async function setup(project: TestProject): Promise<void> {
  // The file filters of this run (`vitest run a.test.ts`); none for the whole suite.
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
  const { testFiles } = await project.globTestFiles(filters);
  if (testFiles.some((file) => USES_BUNDLES.test(file))) ensureBundle();
}
