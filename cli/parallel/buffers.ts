// Byte buffers passed between the main thread and a worker are used again, not allocated for every
// batch. A fresh buffer costs more than its allocation: it is zero-filled, every page of it is
// faulted in by the first write, and V8 counts it as external memory, which brings garbage
// collections forward. (Measured with `--jobs 2` on 200,000 items: allocating a buffer for each
// batch's elements and one for each batch's records was about 0.5 s of the run's CPU, most of it
// in the first writes to fresh pages.) A buffer goes back to the thread that owns its pool once the
// other thread is done with it (transferred, never shared), and the pool keeps a few.

/** The size of a new buffer when the bytes asked for are fewer. */
const MIN_BYTES = 512 * 1024;

/** Buffers for reuse, each handed out to one user at a time. */
export class BufferPool {
  private readonly free: ArrayBuffer[] = [];

  /** `keep`: how many free buffers are kept; any more given back are dropped for the collector. */
  constructor(private readonly keep: number) {}

  /** A buffer of at least `bytes` bytes: a free one, else a new one. Its content is undefined. */
  take(bytes: number): ArrayBuffer {
    for (let i = this.free.length - 1; i >= 0; i--) {
      const buffer = this.free[i]!;
      if (buffer.byteLength >= bytes) {
        this.free[i] = this.free[this.free.length - 1]!;
        this.free.pop();
        return buffer;
      }
    }
    return new ArrayBuffer(Math.max(bytes, MIN_BYTES));
  }

  /** A buffer its user is done with (a detached one, transferred away meanwhile, is ignored). */
  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength === 0) return;
    if (this.free.length < this.keep) this.free.push(buffer);
    else {
      // Keep the largest: a small one kept would be passed over by every larger request.
      let smallest = 0;
      for (let i = 1; i < this.free.length; i++) {
        if (this.free[i]!.byteLength < this.free[smallest]!.byteLength) smallest = i;
      }
      if (this.free.length > 0 && this.free[smallest]!.byteLength < buffer.byteLength)
        this.free[smallest] = buffer;
    }
  }

  /** How many free buffers it holds (tests). */
  get size(): number {
    return this.free.length;
  }
}
