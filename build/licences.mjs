// Which licences may ship. Runtime dependencies (what the Lambda bundles carry and what a library
// consumer installs) must be under a permissive licence; copyleft packages (e.g. the AGPL IAM
// simulator the tests use) may only be devDependencies. Used by `npm run package` (a bundle with a
// package outside the list is refused) and by test/supply-chain/licences.test.ts.

import { readFileSync } from "node:fs";
import { join } from "node:path";

/** SPDX identifiers of the permissive licences allowed at run time. */
export const ALLOWED_LICENCES = ["MIT", "MIT-0", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "ISC", "0BSD"];

/** The SPDX licence (or expression) a package.json declares, or undefined. */
export function declaredLicence(manifest) {
  const { license, licenses } = manifest ?? {};
  if (typeof license === "string") return license;
  if (license && typeof license.type === "string") return license.type;
  if (Array.isArray(licenses)) {
    const types = licenses.map((l) => (typeof l === "string" ? l : l?.type)).filter(Boolean);
    if (types.length) return types.length === 1 ? types[0] : `(${types.join(" OR ")})`;
  }
  return undefined;
}

/**
 * Whether an SPDX expression is allowed: `A OR B` needs one allowed side, `A AND B` both,
 * parentheses group; `WITH` exceptions are judged by the licence they modify.
 */
export function isAllowedLicence(expression, allowed = ALLOWED_LICENCES) {
  if (typeof expression !== "string" || expression.trim() === "") return false;
  const tokens = expression.match(/\(|\)|[^\s()]+/g) ?? [];
  let at = 0;
  const primary = () => {
    const token = tokens[at++];
    if (token === "(") {
      const value = or();
      if (tokens[at++] !== ")") throw new Error(`unbalanced parentheses in ${expression}`);
      return value;
    }
    if (token === undefined || token === ")") throw new Error(`incomplete licence expression ${expression}`);
    if (tokens[at] === "WITH") at += 2;
    return allowed.includes(token.replace(/\+$/, ""));
  };
  const and = () => {
    let value = primary();
    while (tokens[at] === "AND") {
      at++;
      value = primary() && value;
    }
    return value;
  };
  const or = () => {
    let value = and();
    while (tokens[at] === "OR") {
      at++;
      value = and() || value;
    }
    return value;
  };
  try {
    const value = or();
    return at === tokens.length && value;
  } catch {
    return false;
  }
}

/**
 * Every package the production install holds (package-lock.json entries not marked `dev`), with
 * its licence: what `npm install aws-compliance-engine` brings and what the bundles may contain.
 */
export function productionPackages(root) {
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8"));
  const packages = [];
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (path === "" || entry.dev || entry.link) continue;
    const name = entry.name ?? path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length);
    let licence = entry.license;
    if (licence === undefined) {
      try {
        licence = declaredLicence(JSON.parse(readFileSync(join(root, path, "package.json"), "utf8")));
      } catch {
        licence = undefined;
      }
    }
    packages.push({ path, name, version: entry.version, licence, optional: entry.optional === true });
  }
  return packages;
}
