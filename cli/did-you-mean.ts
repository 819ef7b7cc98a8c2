// "Did you mean": the closest known word to a mistyped command, option or format.

/** Edit distance with adjacent transpositions (`evalute` -> `evaluate` is 1). */
function distance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const above = d[i - 1] as number[];
      row[j] = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** The known word closest to `word`, when it is close enough to be a typo; else undefined. */
export function closest(word: string, known: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = k.startsWith(lower) && lower.length >= 3 ? 0.5 : distance(lower, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  // At most a third of the word may be wrong (and at least one edit is allowed).
  return bestDistance <= Math.max(1, Math.floor(lower.length / 3)) ? best : undefined;
}

/** ` (did you mean "x"?)` or nothing. */
export function suggestion(word: string, known: readonly string[], quote = '"'): string {
  const match = closest(word, known);
  return match ? ` (did you mean ${quote}${match}${quote}?)` : "";
}
