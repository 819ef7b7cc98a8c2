// The per-item evaluate figures on the Node that runs this file, printed as JSON: bench/evaluate.ts
// runs it on another Node binary (BENCH_OTHER_NODE) so both versions are reported apart.
import { perItemFigures } from "./evaluate.ts";

process.stdout.write(JSON.stringify({ version: process.version, figures: perItemFigures() }));
