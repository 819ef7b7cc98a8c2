import { describe, expect, it } from "vitest";
import { diffCatalogues, isEmptyDiff } from "../../cli/diff/controls.ts";
import { becomeNonCompliant, findFlips } from "../../cli/diff/flips.ts";
import { md } from "../../cli/diff/markdown.ts";
import { accountContext } from "../../engine/accounts.ts";
import { normalise } from "../../engine/normalise.ts";
import {
  activeTableControl,
  catalogueOf,
  control,
  dynamodbPolicy,
  type PolicyFile,
  tableIn,
} from "./policy-edit.ts";

describe("diffCatalogues", () => {
  it("finds nothing between a catalogue and itself, even with keys re-ordered", () => {
    const policy = dynamodbPolicy();
    const reordered = dynamodbPolicy();
    const pitr = control(reordered, "DDB.PITR");
    pitr.check = Object.fromEntries(Object.entries(pitr.check as object).reverse());
    expect(isEmptyDiff(diffCatalogues(catalogueOf(policy), catalogueOf(reordered)))).toBe(true);
  });

  it("says what changed in a control, in words", () => {
    const head = dynamodbPolicy();
    const pitr = control(head, "DDB.PITR");
    pitr.severity = "critical";
    pitr.cia = { c: 2, i: 1 };
    (pitr.remediation as { console: string }).console = "Turn it on.";
    pitr.references = ["FSBP DynamoDB.2", "CIS 1.2"];
    const onDemand = control(head, "DDB.ON-DEMAND");
    ((onDemand.check as { properties: Record<string, unknown> }).properties as Record<string, unknown>).x =
      {};
    onDemand.evaluation = "periodic";
    const diff = diffCatalogues(catalogueOf(dynamodbPolicy()), catalogueOf(head));
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.changed.map((c) => [c.id, c.changes])).toEqual([
      ["DDB.ON-DEMAND", ["check changed", "now evaluated in the scheduled sweep only"]],
      [
        "DDB.PITR",
        [
          "severity high -> critical",
          "now required from C2",
          "now required from I1 (was I2): more accounts need it",
          "no longer required for A (was from A2)",
          "console remediation changed",
          "references added: CIS 1.2",
        ],
      ],
    ]);
  });

  it("lists controls and services added and removed, and a service's prefixes and types", () => {
    const base = dynamodbPolicy();
    const head = dynamodbPolicy();
    head.controls = head.controls.filter((c) => c.id !== "DDB.ON-DEMAND");
    head.controls.push(activeTableControl());
    head.iamPrefixes = ["dynamodb", "dax"];
    const other: PolicyFile = {
      ...dynamodbPolicy(),
      service: "ddbcopy",
      title: "Copy",
      controls: [{ ...activeTableControl(), id: "COPY.ACTIVE" }],
    };
    const diff = diffCatalogues(catalogueOf(base, other), catalogueOf(head));
    expect(diff.added.map((c) => c.id)).toEqual(["DDB.ACTIVE"]);
    expect(diff.removed.map((c) => c.id)).toEqual(["COPY.ACTIVE", "DDB.ON-DEMAND"]);
    expect(diff.servicesRemoved.map((s) => s.service)).toEqual(["ddbcopy"]);
    expect(diff.servicesChanged).toEqual([
      { service: "dynamodb", title: "Amazon DynamoDB", changes: ["IAM prefixes added: dax"] },
    ]);
    expect(isEmptyDiff(diff)).toBe(false);
  });
});

describe("findFlips", () => {
  const prod = accountContext("111111111111", { environment: "production" });
  const dev = accountContext("222222222222", { "cia-rating": "C1I1A1" });
  const contexts = new Map([
    [prod.accountId, prod],
    [dev.accountId, dev],
  ]);
  const items = [normalise(tableIn(prod.accountId)), normalise(tableIn(dev.accountId))];
  const now = new Date("2026-03-01T00:00:00Z");

  it("finds the resources that become non-compliant when a control is required from a lower level", () => {
    const head = dynamodbPolicy();
    control(head, "DDB.PITR").cia = { i: 1 };
    const report = findFlips(
      items,
      (id) => contexts.get(id)!,
      { catalogue: catalogueOf(dynamodbPolicy()), waivers: [] },
      { catalogue: catalogueOf(head), waivers: [] },
      now,
    );
    // Production already failed PITR; development (C1I1A1) now needs it.
    expect(report.flips.map((f) => [f.accountId, f.before, f.after])).toEqual([
      [dev.accountId, "COMPLIANT", "NON_COMPLIANT"],
    ]);
    expect(report.flips[0]!.newlyFailing.map((f) => f.controlId)).toEqual(["DDB.PITR"]);
    expect(becomeNonCompliant(report)).toHaveLength(1);
    expect(report.changedFailures).toEqual([]);
  });

  it("finds resources that become compliant, and changed failures of still non-compliant ones", () => {
    const head = dynamodbPolicy();
    head.controls = head.controls.filter((c) => c.id !== "DDB.PITR");
    const onDemand = control(head, "DDB.ON-DEMAND");
    onDemand.check = { not: {} }; // now fails everything
    onDemand.cia = { a: 3 };
    const report = findFlips(
      items,
      (id) => contexts.get(id)!,
      { catalogue: catalogueOf(dynamodbPolicy()), waivers: [] },
      { catalogue: catalogueOf(head), waivers: [] },
      now,
    );
    expect(report.flips).toEqual([]);
    expect(
      report.changedFailures.map((f) => [
        f.accountId,
        f.newlyFailing.map((x) => x.controlId),
        f.noLongerFailing,
      ]),
    ).toEqual([[prod.accountId, ["DDB.ON-DEMAND"], ["DDB.PITR"]]]);
    expect(becomeNonCompliant(report)).toEqual([]);
  });
});

describe("md", () => {
  it("escapes Markdown and HTML so file text cannot break a table or inject markup", () => {
    expect(md("a | b <img src=x> `c` *d*\nnext -> e")).toBe(
      "a \\| b \\<img src=x> \\`c\\` \\*d\\* next -> e",
    );
  });
});
