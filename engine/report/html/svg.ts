// Inline SVG charts for the HTML report: a heat map and horizontal bar charts. No scripts, no
// external resources; every label escaped. Each chart has a <title> for screen readers.

import { esc } from "./escape.ts";

export const COLOURS = {
  good: "#1a7f37",
  warn: "#bf8700",
  bad: "#cf222e",
  none: "#8c959f",
  critical: "#82071e",
  high: "#cf222e",
  medium: "#bc4c00",
  low: "#9a6700",
} as const;

export interface HeatCell {
  /** Shown in the cell, e.g. "2 / 3". */
  text: string;
  /** A smaller second line, e.g. "7 of 9 resources meet it". */
  detail?: string;
  colour: string;
  /** Tooltip. */
  title: string;
}

export interface HeatMap {
  title: string;
  columns: string[];
  rows: { label: string; cells: HeatCell[] }[];
}

const FONT = 'font-family="system-ui, sans-serif"';

export function heatMapSvg(map: HeatMap): string {
  const labelWidth = 260;
  const cell = { w: 150, h: 46 };
  const head = 28;
  const width = labelWidth + map.columns.length * cell.w;
  const height = head + map.rows.length * cell.h + 4;
  const parts: string[] = [];
  map.columns.forEach((c, i) => {
    const x = labelWidth + i * cell.w + cell.w / 2;
    parts.push(`<text x="${x}" y="18" text-anchor="middle" font-weight="600">${esc(c)}</text>`);
  });
  map.rows.forEach((row, r) => {
    const y = head + r * cell.h;
    parts.push(
      `<text x="${labelWidth - 8}" y="${y + cell.h / 2 + 5}" text-anchor="end">${esc(truncate(row.label, 34))}</text>`,
    );
    row.cells.forEach((c, i) => {
      const x = labelWidth + i * cell.w;
      const textY = c.detail ? y + 20 : y + cell.h / 2 + 5;
      const detail = c.detail
        ? `<text x="${x + cell.w / 2}" y="${y + 36}" text-anchor="middle" fill="#fff" font-size="11">${esc(c.detail)}</text>`
        : "";
      parts.push(
        `<g><title>${esc(c.title)}</title><rect x="${x + 2}" y="${y + 2}" width="${cell.w - 4}" height="${cell.h - 4}" rx="4" fill="${c.colour}"/>` +
          `<text x="${x + cell.w / 2}" y="${textY}" text-anchor="middle" fill="#fff" font-weight="600">${esc(c.text)}</text>${detail}</g>`,
      );
    });
  });
  return svg(width, height, map.title, parts);
}

export interface Bar {
  label: string;
  segments: { value: number; colour: string; name: string }[];
  /** Shown after the bar. */
  note: string;
  href?: string;
}

export function barChartSvg(title: string, bars: readonly Bar[]): string {
  const labelWidth = 260;
  const barArea = 380;
  const noteWidth = 300;
  const rowHeight = 26;
  const max = Math.max(1, ...bars.map((b) => b.segments.reduce((s, x) => s + x.value, 0)));
  const parts: string[] = [];
  bars.forEach((bar, r) => {
    const y = r * rowHeight + 4;
    const label = `<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end">${esc(truncate(bar.label, 34))}</text>`;
    parts.push(bar.href ? `<a href="${esc(bar.href)}">${label}</a>` : label);
    let x = labelWidth;
    for (const s of bar.segments) {
      if (s.value <= 0) continue;
      const w = Math.max(2, (s.value / max) * barArea);
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowHeight - 8}" fill="${s.colour}"><title>${esc(`${s.name}: ${s.value}`)}</title></rect>`,
      );
      x += w;
    }
    // Notes line up in a column after the longest bar.
    parts.push(`<text x="${labelWidth + barArea + 8}" y="${y + 16}">${esc(bar.note)}</text>`);
  });
  return svg(labelWidth + barArea + noteWidth, bars.length * rowHeight + 8, title, parts);
}

function svg(width: number, height: number, title: string, parts: string[]): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" ${FONT} font-size="13">` +
    `<title>${esc(title)}</title>${parts.join("")}</svg>`
  );
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
