#!/usr/bin/env node
// `npm run audit` (part of `npm test`): the advisories npm knows for what ships, that is the
// production dependency tree (`npm audit --omit=dev`). Every advisory breaks the build unless a
// reviewed waiver in security/audit-waivers.json covers it and has not expired. Where the registry
// does not serve advisories (a mirror without the bulk advisory endpoint answers 405; an offline
// machine cannot connect), it says so in one line and exits 0: a skip is always printed, never a
// silent pass.
//
// Usage: node build/audit.mjs [--report FILE] [--waivers FILE] [--today YYYY-MM-DD]
//   --report: read a saved `npm audit --json` output instead of running npm (for tests).

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const WAIVERS_FILE = join(ROOT, "security/audit-waivers.json");
const NETWORK_CODES = new Set([
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENETUNREACH",
]);

/** The advisory id of an npm audit `via` entry: the GHSA id from its URL, else npm's number. */
function advisoryId(via) {
  const ghsa = typeof via.url === "string" ? /GHSA-[\w-]+/i.exec(via.url) : null;
  return ghsa ? ghsa[0].toUpperCase() : String(via.source);
}

/** Why the report says nothing about advisories, or undefined when it is a real audit report. */
function unavailable(report) {
  if (report === null || typeof report !== "object") return "npm audit printed no JSON report";
  if (report.auditReportVersion !== undefined && report.vulnerabilities) return undefined;
  if (typeof report.statusCode === "number") {
    return `the registry answered HTTP ${report.statusCode} to the advisory request (it does not serve advisories)`;
  }
  const code = report.error?.code ?? report.code;
  if (NETWORK_CODES.has(code)) return `the advisory service cannot be reached (${code})`;
  return `npm audit could not produce a report (${report.error?.summary || report.message || "unknown reason"})`;
}

/**
 * Checks waivers: each needs `advisory`, `package`, `reason`, `approver` and an `expires` date.
 * Returns the waivers in force and one problem line per bad or expired waiver.
 */
export function checkWaivers(waivers, today) {
  const problems = [];
  const inForce = [];
  if (!Array.isArray(waivers)) return { inForce, problems: ["the waivers file must hold a JSON array"] };
  waivers.forEach((w, index) => {
    const where = `waiver ${index}`;
    for (const field of ["advisory", "package", "reason", "approver", "expires"]) {
      if (typeof w?.[field] !== "string" || w[field].trim() === "") {
        problems.push(
          `${where}: \`${field}\` is missing (a waiver names the advisory, the package, why, who approved it and until when)`,
        );
        return;
      }
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(w.expires) || Number.isNaN(Date.parse(w.expires))) {
      problems.push(`${where}: \`expires\` must be a date YYYY-MM-DD, not ${JSON.stringify(w.expires)}`);
      return;
    }
    if (w.expires < today) {
      problems.push(
        `${where}: the waiver of ${w.advisory} for ${w.package} expired on ${w.expires}: fix the dependency or renew the waiver`,
      );
      return;
    }
    inForce.push(w);
  });
  return { inForce, problems };
}

/**
 * Judges an `npm audit --json` report against the waivers.
 * Returns { status: "pass" | "fail" | "skipped", lines }.
 */
export function judge(report, waivers, today) {
  const why = unavailable(report);
  const { inForce, problems } = checkWaivers(waivers, today);
  const lines = problems.map((p) => `audit: ${p}`);
  if (why) {
    lines.push(`audit: skipped: ${why}; dependency advisories were NOT checked on this machine`);
    return { status: problems.length ? "fail" : "skipped", lines };
  }
  const findings = new Map();
  for (const [name, vulnerability] of Object.entries(report.vulnerabilities)) {
    for (const via of vulnerability.via ?? []) {
      if (typeof via !== "object" || via === null) continue; // a string names another vulnerable package
      const id = advisoryId(via);
      const key = `${id} ${name}`;
      if (!findings.has(key)) {
        findings.set(key, {
          id,
          name,
          severity: via.severity ?? vulnerability.severity,
          title: via.title ?? "",
          range: via.range ?? "",
        });
      }
    }
  }
  let open = 0;
  for (const f of [...findings.values()].sort((a, b) => (a.name + a.id < b.name + b.id ? -1 : 1))) {
    const waiver = inForce.find((w) => w.advisory.toUpperCase() === f.id && w.package === f.name);
    if (waiver) {
      lines.push(
        `audit: waived ${f.id} in ${f.name} (${f.severity}) until ${waiver.expires} by ${waiver.approver}: ${waiver.reason}`,
      );
    } else {
      open++;
      lines.push(`audit: ${f.severity} ${f.id} in ${f.name}${f.range ? ` ${f.range}` : ""}: ${f.title}`);
    }
  }
  const deps = report.metadata?.dependencies?.prod ?? report.metadata?.dependencies?.total;
  const counted = deps === undefined ? "" : ` in ${deps} production dependencies`;
  if (open === 0 && problems.length === 0) {
    lines.push(`audit: ok: no open advisory${counted} (${findings.size - open} waived)`);
    return { status: "pass", lines };
  }
  lines.push(
    `audit: ${open} open advisor${open === 1 ? "y" : "ies"}${counted}: upgrade, or waive in ${relative(ROOT, WAIVERS_FILE)} with a reason, an approver and an expiry`,
  );
  return { status: "fail", lines };
}

function runNpmAudit() {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const run = spawnSync(npm, ["audit", "--omit=dev", "--json"], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 120_000,
  });
  if (run.error) return { error: { code: run.error.code, summary: run.error.message } };
  try {
    return JSON.parse(run.stdout);
  } catch {
    return null;
  }
}

async function main() {
  const { values } = parseArgs({
    options: { report: { type: "string" }, waivers: { type: "string" }, today: { type: "string" } },
    strict: true,
  });
  const today = values.today ?? new Date().toISOString().slice(0, 10);
  const waivers = JSON.parse(readFileSync(values.waivers ?? WAIVERS_FILE, "utf8"));
  const report = values.report ? JSON.parse(readFileSync(values.report, "utf8")) : runNpmAudit();
  const { status, lines } = judge(report, waivers, today);
  for (const line of lines) process.stdout.write(`${line}\n`);
  if (status === "fail") process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
