// Where the embedded sample organisation lives (evaluated by `npm start` and `compliance evaluate`).

import { fileURLToPath } from "node:url";

export const SAMPLE_DIR = fileURLToPath(new URL("../samples/organisation/items/", import.meta.url));
export const SAMPLE_ACCOUNTS = fileURLToPath(
  new URL("../samples/organisation/accounts.json", import.meta.url),
);
