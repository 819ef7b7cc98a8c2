// Property: wherever an own "__proto__" or "constructor" key appears in a real item (any object
// inside configuration, supplementaryConfiguration, or a policy document, in either shape), no
// object of the normalised item gets another prototype than Object.prototype or Array.prototype,
// and its verdicts and messages are those of the same item with the key's bait removed.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../engine/evaluate.ts";
import { normalise } from "../../engine/normalise.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";
import { loadFixtures } from "../support/fixtures.ts";

const catalogue = repositoryCatalogue();
const now = new Date("2026-11-28T00:00:00Z");
const items = loadFixtures("ci").filter(
  (f) => typeof (f.raw as { configuration?: unknown }).configuration === "object",
);

type Node = Record<string, unknown>;

/** Every plain object in a parsed JSON value (depth-first, the root first). */
function objects(value: unknown, out: Node[] = []): Node[] {
  if (Array.isArray(value)) for (const v of value) objects(v, out);
  else if (typeof value === "object" && value !== null) {
    out.push(value as Node);
    for (const v of Object.values(value)) objects(v, out);
  }
  return out;
}

function prototypesOk(value: unknown, seen = new Set<unknown>()): boolean {
  if (typeof value !== "object" || value === null || seen.has(value)) return true;
  seen.add(value);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) return false;
  return Object.values(value).every((v) => prototypesOk(v, seen));
}

const verdict = (raw: unknown, type: string) => {
  const r = evaluate(normalise(raw, { resourceType: type }), catalogue, {
    rating: { c: 3, i: 3, a: 3 },
    now,
  });
  return { compliance: r.compliance, findings: r.findings.map((f) => [f.controlId, f.status, f.message]) };
};

describe("prototype keys in items stay data", () => {
  it("no normalised object gets a foreign prototype, and the bait changes no verdict", () => {
    expect(items.length).toBeGreaterThan(50);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: items.length - 1 }),
        fc.nat(),
        fc.constantFrom("__proto__", "constructor"),
        fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
        (index, at, key, bait) => {
          const fixture = items[index]!;
          const text = JSON.stringify(fixture.raw);
          const clean = JSON.parse(text) as Node;
          const baited = JSON.parse(text) as Node;
          const targets = objects({ c: baited.configuration, s: baited.supplementaryConfiguration }).slice(1);
          if (targets.length === 0) return;
          const target = targets[at % targets.length]!;
          // An own key, as JSON.parse makes it, holding an object of the target's own keys plus bait.
          Object.defineProperty(target, key, {
            value: { ...target, ...bait },
            enumerable: true,
            writable: true,
            configurable: true,
          });
          const item = normalise(JSON.parse(JSON.stringify(baited)), { resourceType: fixture.resourceType });
          expect(prototypesOk(item)).toBe(true);
          // The key is data the checks do not read: the verdict is the clean item's (a `constructor`
          // or `__proto__` key is not a property any control names).
          expect(verdict(JSON.parse(JSON.stringify(baited)), fixture.resourceType).compliance).toBe(
            verdict(clean, fixture.resourceType).compliance,
          );
        },
      ),
      { seed: 20261202, numRuns: 150 },
    );
  });
});
