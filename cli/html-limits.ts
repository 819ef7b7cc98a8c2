// `evaluate`'s options for the HTML report's details: how many resources it shows in detail, per
// account and in all. Every count and chart of the report covers every resource whatever they are;
// only the per-resource articles are limited (a page of a million articles opens in no browser,
// and holding them exhausts memory).
//   --html-per-account N    resources of one account shown in detail
//   --html-max-resources N  resources shown in detail in all

import { DEFAULT_HTML_LIMITS, type HtmlLimits } from "../engine/report/html/tally.ts";
import { UsageError } from "./errors.ts";

export const HTML_LIMIT_OPTIONS = {
  "html-per-account": { type: "string", value: "N" },
  "html-max-resources": { type: "string", value: "N" },
} as const;

export const HTML_LIMITS_USAGE = [
  `  --html-per-account N    HTML: resources of one account shown in detail (default ${DEFAULT_HTML_LIMITS.perAccount};`,
  `                          the rest are counted, and listed by --format json)`,
  `  --html-max-resources N  HTML: resources shown in detail in all (default ${DEFAULT_HTML_LIMITS.total})`,
].join("\n");

/** The most a limit may be: every article is held in memory until the page is written. */
const MOST = 1_000_000;

function count(option: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value.trim()) || Number(value) > MOST) {
    throw new UsageError(`--${option}: "${value}" is not a number of resources from 0 to ${MOST}`);
  }
  return Number(value);
}

export function htmlLimitsFromOptions(values: {
  "html-per-account"?: string | undefined;
  "html-max-resources"?: string | undefined;
}): HtmlLimits {
  return {
    perAccount: count("html-per-account", values["html-per-account"], DEFAULT_HTML_LIMITS.perAccount),
    total: count("html-max-resources", values["html-max-resources"], DEFAULT_HTML_LIMITS.total),
  };
}
