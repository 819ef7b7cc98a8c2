// Times as the reports show them: to the second, never with milliseconds.

/** A time to the second, in UTC, for people: `2026-11-27 08:00:00 UTC`. */
export function formatTime(time: Date | string): string {
  const date = typeof time === "string" ? new Date(time) : time;
  if (Number.isNaN(date.getTime())) return String(time);
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** An ISO 8601 time without milliseconds, for machines (`<time datetime>`): `2026-11-27T08:00:00Z`. */
export function isoSeconds(time: string): string {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? time : `${date.toISOString().slice(0, 19)}Z`;
}

/** The latest capture time of a run's records (ISO strings compare in time order); undefined when none. */
export function dataAsOf(records: readonly { capturedAt: string }[]): string | undefined {
  let latest = "";
  // An item without a capture time is normalised to the epoch: it says nothing about freshness.
  for (const r of records)
    if (r.capturedAt > latest && !r.capturedAt.startsWith("1970-01-01")) latest = r.capturedAt;
  return latest || undefined;
}
