import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { itemsOf } from "../../cli/inputs.ts";
import { evaluate } from "../../engine/evaluate.ts";
import { normalise } from "../../engine/normalise.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";
import { FIXTURES } from "../support/fixtures.ts";

const catalogue = repositoryCatalogue();
const dir = join(FIXTURES, "events");
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort();

/** Events that carry no configuration item: offline they are reported, not evaluated. */
const NO_ITEM =
  /scheduled|oversized|snapshot-delivery|history-delivery|snapshot-delivery-started|compliance-change/;

describe("every real event and file of test/fixtures/events", () => {
  it("has the events to read", () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  it.each(files)("%s: its configuration items evaluate without error", (file) => {
    const events = [...itemsOf(JSON.parse(readFileSync(join(dir, file), "utf8")), file)];
    const items = events.filter((e) => e.kind === "item");
    if (NO_ITEM.test(file)) {
      expect(items).toEqual([]);
      expect(events.length).toBeGreaterThan(0);
      return;
    }
    expect(items.length).toBeGreaterThan(0);
    for (const event of items) {
      const record = evaluate(normalise(event.item.raw), catalogue, {
        rating: { c: 3, i: 3, a: 3 },
        now: new Date(),
      });
      expect(record.annotation.length).toBeGreaterThan(0);
      expect(record.annotation.length).toBeLessThanOrEqual(256);
    }
  });
});
