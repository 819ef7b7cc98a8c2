// build/audit.mjs: npm's advisories for the production tree break the build unless waived in a
// reviewed file with an expiry; a registry without advisories is said to be skipped, never passed.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkWaivers, judge, WAIVERS_FILE } from "../../build/audit.mjs";
import { ROOT } from "../support/cli.ts";

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", name), "utf8"));
const TODAY = "2026-12-02";
const waiver = {
  advisory: "GHSA-3xgq-45jj-v275",
  package: "cross-spawn",
  reason: "only reached by the build, never with user input",
  approver: "ciso@bank.example",
  expires: "2027-03-01",
};

describe("npm audit judgement", () => {
  it("fails on every open advisory, naming its id, package, severity and title", () => {
    const { status, lines } = judge(fixture("audit-findings.json"), [], TODAY);
    expect(status).toBe("fail");
    expect(lines).toContain(
      "audit: high GHSA-6W63-H3FJ-Q4VW in fast-xml-parser <4.4.1: fast-xml-parser vulnerable to Regex Injection via Doctype Entities",
    );
    expect(lines.some((l) => l.includes("GHSA-3XGQ-45JJ-V275 in cross-spawn"))).toBe(true);
    // A package that is only vulnerable through another (`via` a name) is not a second advisory.
    expect(lines.filter((l) => l.includes("@aws-sdk/core"))).toEqual([]);
    expect(lines.at(-1)).toMatch(/^audit: 2 open advisories in 76 production dependencies/);
  });

  it("keeps the build green when every advisory is waived, and says who waived it until when", () => {
    const both = [waiver, { ...waiver, advisory: "GHSA-6w63-h3fj-q4vw", package: "fast-xml-parser" }];
    const { status, lines } = judge(fixture("audit-findings.json"), both, TODAY);
    expect(status).toBe("pass");
    expect(lines).toContain(
      "audit: waived GHSA-3XGQ-45JJ-V275 in cross-spawn (moderate) until 2027-03-01 by ciso@bank.example: only reached by the build, never with user input",
    );
  });

  it("a waiver covers only its own advisory in its own package", () => {
    const { status, lines } = judge(fixture("audit-findings.json"), [{ ...waiver, package: "other" }], TODAY);
    expect(status).toBe("fail");
    expect(lines.some((l) => l.startsWith("audit: waived"))).toBe(false);
  });

  it("an expired waiver stops applying and is itself an error", () => {
    const expired = { ...waiver, expires: "2026-12-01" };
    expect(checkWaivers([expired], TODAY).problems).toEqual([
      "waiver 0: the waiver of GHSA-3xgq-45jj-v275 for cross-spawn expired on 2026-12-01: fix the dependency or renew the waiver",
    ]);
    const { status } = judge(fixture("audit-clean.json"), [expired], TODAY);
    expect(status).toBe("fail");
  });

  it("a waiver without a reason or approver is refused", () => {
    const { problems, inForce } = checkWaivers([{ ...waiver, approver: " " }], TODAY);
    expect(inForce).toEqual([]);
    expect(problems[0]).toMatch(/^waiver 0: `approver` is missing/);
  });

  it("passes a clean report", () => {
    expect(judge(fixture("audit-clean.json"), [], TODAY)).toEqual({
      status: "pass",
      lines: ["audit: ok: no open advisory in 76 production dependencies (0 waived)"],
    });
  });

  it("says the check was skipped, and why, when the registry does not serve advisories", () => {
    const { status, lines } = judge(fixture("audit-405.json"), [], TODAY);
    expect(status).toBe("skipped");
    expect(lines).toEqual([
      "audit: skipped: the registry answered HTTP 405 to the advisory request (it does not serve advisories); dependency advisories were NOT checked on this machine",
    ]);
    expect(judge({ error: { code: "ENOTFOUND", summary: "getaddrinfo" } }, [], TODAY).lines[0]).toMatch(
      /^audit: skipped: the advisory service cannot be reached \(ENOTFOUND\)/,
    );
    expect(judge(null, [], TODAY).status).toBe("skipped");
  });

  it("the committed waivers file is valid and has no expired waiver", () => {
    const waivers = JSON.parse(readFileSync(WAIVERS_FILE, "utf8"));
    expect(checkWaivers(waivers, new Date().toISOString().slice(0, 10)).problems).toEqual([]);
  });

  it("runs as a command on a saved report: exit 1 with open advisories", () => {
    const run = (report: string) => {
      try {
        return {
          code: 0,
          out: execFileSync(
            process.execPath,
            [
              join(ROOT, "build/audit.mjs"),
              "--report",
              join(import.meta.dirname, "fixtures", report),
              "--today",
              TODAY,
            ],
            { encoding: "utf8" },
          ),
        };
      } catch (error) {
        const e = error as { status: number; stdout: string };
        return { code: e.status, out: e.stdout };
      }
    };
    expect(run("audit-findings.json").code).toBe(1);
    expect(run("audit-clean.json")).toEqual({
      code: 0,
      out: "audit: ok: no open advisory in 76 production dependencies (0 waived)\n",
    });
  });
});
