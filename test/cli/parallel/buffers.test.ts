// The buffer pool behind `--jobs`: a buffer given back is handed out again for a request it can
// hold, never to two users at once, and the pool keeps at most its limit, the largest ones.

import { describe, expect, it } from "vitest";
import { BufferPool } from "../../../cli/parallel/buffers.ts";

describe("BufferPool", () => {
  it("hands a given-back buffer out again, once, for a request it can hold", () => {
    const pool = new BufferPool(4);
    const first = pool.take(100);
    expect(first.byteLength).toBeGreaterThanOrEqual(100);
    pool.give(first);
    expect(pool.take(50)).toBe(first);
    // Taken: not handed out a second time.
    expect(pool.take(50)).not.toBe(first);
  });

  it("passes over a buffer too small for the request", () => {
    const pool = new BufferPool(4);
    const small = pool.take(10);
    pool.give(small);
    const large = pool.take(small.byteLength + 1);
    expect(large).not.toBe(small);
    expect(large.byteLength).toBe(small.byteLength + 1);
    expect(pool.size).toBe(1);
    expect(pool.take(1)).toBe(small);
  });

  it("keeps at most its limit, dropping the smallest, and ignores a detached buffer", () => {
    const pool = new BufferPool(2);
    const sizes = [1, 2, 3].map((mb) => pool.take(mb * 1024 * 1024));
    for (const b of sizes) pool.give(b);
    expect(pool.size).toBe(2);
    // The two largest are kept: a request for 2 MiB and one for 3 MiB both find one.
    const a = pool.take(3 * 1024 * 1024);
    const b = pool.take(2 * 1024 * 1024);
    expect([a, b]).toEqual(expect.arrayContaining([sizes[1], sizes[2]]));
    const detached = new ArrayBuffer(8);
    structuredClone(detached, { transfer: [detached] });
    pool.give(detached);
    expect(pool.size).toBe(0);
  });
});
