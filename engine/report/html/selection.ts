// The few records a report shows in detail out of any number streamed past it: at most `perGroup`
// of each group (account) and `total` in all, the most worth showing first. Memory holds only the
// kept entries; each add is O(log kept). The result is what sorting every entry would give: the
// best `total` among the best `perGroup` of each group (a property test checks it against that).

/** Two binary heaps share entries: each entry knows its place in both, so either can remove it. */
interface Slot<T> {
  readonly value: T;
  readonly group: string;
  /** Index in the heap of all kept entries. */
  all: number;
  /** Index in its group's heap. */
  own: number;
}

type Place = "all" | "own";

/**
 * A min-heap by worth: the root is the least worth keeping (so it is the one to drop). `worse(a, b)`
 * is true when a is less worth showing than b.
 */
class Heap<T> {
  readonly items: Slot<T>[] = [];
  constructor(
    private readonly place: Place,
    private readonly worse: (a: T, b: T) => boolean,
  ) {}

  get size(): number {
    return this.items.length;
  }

  peek(): Slot<T> | undefined {
    return this.items[0];
  }

  push(slot: Slot<T>): void {
    slot[this.place] = this.items.length;
    this.items.push(slot);
    this.up(slot[this.place]);
  }

  remove(slot: Slot<T>): void {
    const i = slot[this.place];
    const last = this.items.pop() as Slot<T>;
    if (last === slot) return;
    this.items[i] = last;
    last[this.place] = i;
    this.up(i);
    this.down(last[this.place]);
  }

  private swap(i: number, j: number): void {
    const a = this.items[i] as Slot<T>;
    const b = this.items[j] as Slot<T>;
    this.items[i] = b;
    this.items[j] = a;
    a[this.place] = j;
    b[this.place] = i;
  }

  private less(i: number, j: number): boolean {
    return this.worse((this.items[i] as Slot<T>).value, (this.items[j] as Slot<T>).value);
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < this.items.length && this.less(l, least)) least = l;
      if (r < this.items.length && this.less(r, least)) least = r;
      if (least === i) return;
      this.swap(i, least);
      i = least;
    }
  }
}

export interface Selection<T> {
  /** Offers one entry; it is kept while it is among the best. */
  add(value: T, group: string): void;
  /** The kept entries of a group (in no particular order). */
  kept(group: string): T[];
  /** Entries of a group offered and not kept. */
  left(group: string): number;
  /** Entries offered and not kept, over all groups. */
  readonly leftOut: number;
  readonly size: number;
}

export function boundedSelection<T>(
  perGroup: number,
  total: number,
  worse: (a: T, b: T) => boolean,
): Selection<T> {
  const all = new Heap<T>("all", worse);
  const groups = new Map<string, Heap<T>>();
  const leftByGroup = new Map<string, number>();
  let leftOut = 0;
  const drop = (group: string) => {
    leftOut++;
    leftByGroup.set(group, (leftByGroup.get(group) ?? 0) + 1);
  };
  const evict = (slot: Slot<T>) => {
    all.remove(slot);
    groups.get(slot.group)?.remove(slot);
    drop(slot.group);
  };
  return {
    add(value, group) {
      // Less worth than everything kept while the whole selection is full: never kept.
      const floor = all.peek();
      if (all.size >= total && (floor === undefined || !worse(floor.value, value))) {
        drop(group);
        return;
      }
      let own = groups.get(group);
      if (!own) {
        own = new Heap<T>("own", worse);
        groups.set(group, own);
      }
      if (own.size >= perGroup) {
        const weakest = own.peek();
        if (weakest === undefined || !worse(weakest.value, value)) {
          drop(group);
          return;
        }
        evict(weakest);
      }
      const slot: Slot<T> = { value, group, all: 0, own: 0 };
      all.push(slot);
      own.push(slot);
      if (all.size > total) evict(all.peek() as Slot<T>);
    },
    kept(group) {
      return groups.get(group)?.items.map((s) => s.value) ?? [];
    },
    left(group) {
      return leftByGroup.get(group) ?? 0;
    },
    get leftOut() {
      return leftOut;
    },
    get size() {
      return all.size;
    },
  };
}
