import { readFileSync } from "node:fs";
import { loadCatalogue } from "../engine/catalogue.ts";
import { readPolicySources } from "../engine/catalogue-files.ts";
import { evaluate } from "../engine/evaluate.ts";
import { normalise } from "../engine/normalise.ts";
import { recordJson } from "../engine/report/json.ts";
const catalogue = loadCatalogue(readPolicySources());
const dir = "samples/organisation/items";
const raws = ["111111111111", "222222222222", "333333333333", "444444444444"].flatMap((a) => JSON.parse(readFileSync(`${dir}/${a}_Config_eu-west-1_ConfigSnapshot.json`, "utf8")).configurationItems);
const texts = raws.map((r: unknown) => JSON.stringify(r));
const batch = Array.from({ length: 5000 }, (_, i) => texts[i % texts.length]!);
const now = new Date(); const rating = { c: 3, i: 3, a: 3 } as const;
function t(name: string, fn: () => void) { fn(); fn(); const s = performance.now(); for (let k = 0; k < 5; k++) fn(); const ms = (performance.now() - s) / 5; console.log(name, ((ms * 1000) / batch.length).toFixed(2), "µs/item"); return ms; }
const p = t("parse", () => { for (const x of batch) JSON.parse(x); });
const n = t("parse+normalise(inPlace)", () => { for (const x of batch) normalise(JSON.parse(x), {}, { inPlace: true }); });
const n2 = t("parse+normalise(copy)", () => { for (const x of batch) normalise(JSON.parse(x)); });
const e = t("parse+normalise+evaluate", () => { for (const x of batch) evaluate(normalise(JSON.parse(x), {}, { inPlace: true }), catalogue, { rating, now }); });
const j = t("+recordJson", () => { for (const x of batch) recordJson(evaluate(normalise(JSON.parse(x), {}, { inPlace: true }), catalogue, { rating, now })); });
console.log("ratio eval", (e / p).toFixed(2), "with json", (j / p).toFixed(2), "normalise", (n/p).toFixed(2));
