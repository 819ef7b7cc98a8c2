// The report's charts, in HTML and CSS rather than SVG so that they reflow on a phone and print
// crisply: a meter (a share out of 100) and a stacked bar (counts), each read with a legend.

import { esc } from "./escape.ts";

export type Tone = "good" | "warn" | "bad" | "none";

/** The colour band of a share of resources meeting their rating. */
export function shareTone(share: number | undefined): Tone {
  if (share === undefined) return "none";
  return share >= 90 ? "good" : share >= 50 ? "warn" : "bad";
}

/** A horizontal meter with its value beside it; `title` is what a screen reader hears. */
export function meter(share: number | undefined, title: string): string {
  const tone = shareTone(share);
  const width = share ?? 0;
  const text = share === undefined ? "–" : `${share}%`;
  return `<span class="meter-wrap" title="${esc(title)}"><span class="meter" role="img" aria-label="${esc(title)}"><span class="fill ${tone}" style="width:${width}%"></span></span><span class="pct">${esc(text)}</span></span>`;
}

export interface Segment {
  value: number;
  tone: string;
  name: string;
}

/** A bar of counts split into coloured segments, proportional to `max`. */
export function stackedBar(segments: readonly Segment[], max: number): string {
  const parts = segments
    .filter((s) => s.value > 0)
    .map(
      (s) =>
        `<span class="seg-bar ${esc(s.tone)}" style="width:${((s.value / Math.max(1, max)) * 100).toFixed(2)}%" title="${esc(`${s.name}: ${s.value}`)}"></span>`,
    );
  return `<span class="stack" role="img" aria-label="${esc(segments.map((s) => `${s.name} ${s.value}`).join(", "))}">${parts.join("")}</span>`;
}

/** The key to a chart's colours. */
export function legend(entries: readonly { tone: string; text: string }[]): string {
  return `<ul class="legend">${entries.map((e) => `<li><span class="swatch ${esc(e.tone)}"></span>${esc(e.text)}</li>`).join("")}</ul>`;
}

export const SHARE_LEGEND = legend([
  { tone: "good", text: "90% or more meet the rating" },
  { tone: "warn", text: "50–89%" },
  { tone: "bad", text: "under 50%" },
  { tone: "none", text: "nothing evaluated" },
]);

export const SCORE_LEGEND = legend([
  { tone: "good", text: "90% or more of evaluated resources compliant" },
  { tone: "warn", text: "50–89%" },
  { tone: "bad", text: "under 50%" },
]);
