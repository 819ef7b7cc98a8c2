// Where the embedded sample organisation lives (evaluated by `npm start` and `compliance evaluate`).

import { join } from "node:path";
import { PACKAGE_ROOT } from "../loader/policy-files.ts";

export const SAMPLE_DIR = join(PACKAGE_ROOT, "samples", "organisation", "items");
export const SAMPLE_ACCOUNTS = join(PACKAGE_ROOT, "samples", "organisation", "accounts.json");
