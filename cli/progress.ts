// A progress line on a TTY for long runs (nothing when stderr is a pipe or a file).

import type { Writable } from "node:stream";

const EVERY = 250;

export function progress(stream: Writable & { isTTY?: boolean }): {
  tick(count: number): void;
  done(): void;
} {
  if (!stream.isTTY) return { tick() {}, done() {} };
  let shown = false;
  const started = Date.now();
  return {
    tick(count) {
      if (count % EVERY !== 0) return;
      const seconds = (Date.now() - started) / 1000;
      const rate = seconds > 0 ? Math.round(count / seconds) : count;
      stream.write(`\r\u001b[2Kevaluating: ${count} items (${rate}/s)`);
      shown = true;
    },
    done() {
      if (shown) stream.write("\r\u001b[2K");
    },
  };
}
