import { describe, expect, it } from "vitest";
import { parseAccounts } from "../../engine/accounts-file.ts";

const parse = (value: unknown) => parseAccounts(value, "accounts.json");

describe("the accounts file (--accounts)", () => {
  it("reads names and tags, production forcing the highest rating", () => {
    const accounts = parse({
      "111111111111": {
        name: "payments-prod",
        tags: { environment: "Production", "cia-rating": "C1I1A1", owner: "a@x" },
      },
      "222222222222": { tags: { "cia-rating": "C1I2A1" } },
      "333333333333": {},
    });
    expect(accounts.get("111111111111")).toMatchObject({
      name: "payments-prod",
      environment: "production",
      owner: "a@x",
      rating: { c: 3, i: 3, a: 3 },
      unclassified: false,
    });
    expect(accounts.get("222222222222")).toMatchObject({ rating: { c: 1, i: 2, a: 1 }, unclassified: false });
    expect(accounts.get("333333333333")).toMatchObject({ rating: { c: 3, i: 3, a: 3 }, unclassified: true });
  });

  it.each([
    [[], /^accounts\.json: expected an object/],
    [{ "12": {} }, /"12" is not a 12-digit account id/],
    [
      { "111111111111": { "cia-rating": "C1I1A1" } },
      /\/111111111111: unknown field "cia-rating" \(expected "name" and "tags"\)/,
    ],
    [{ "111111111111": { tags: [] } }, /\/111111111111\/tags: must be an object of tag names to values/],
    [
      { "111111111111": { tags: { owner: ["a"] } } },
      /\/111111111111\/tags\/owner: a tag value must be a string/,
    ],
    [{ "111111111111": null }, /\/111111111111: must be an object/],
  ])("rejects %j with one line naming the field", (value, message) => {
    let error: unknown;
    try {
      parse(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    const text = `${(error as { source?: string }).source}: ${(error as Error).message}`;
    expect(text).toMatch(message);
    expect(text).not.toContain("\n");
  });
});
