// Records the golden evaluate output (see golden.ts). Run only when the catalogue changes on purpose.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { GOLDEN_DIR, GOLDEN_SETS, goldenOutput } from "./golden.ts";

for (const set of GOLDEN_SETS) {
  const { stdout } = await goldenOutput(set.args);
  writeFileSync(join(GOLDEN_DIR, set.name), stdout);
  process.stdout.write(`${set.name}: ${stdout.length} bytes\n`);
}
