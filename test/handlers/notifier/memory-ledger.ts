// An in-memory ledger with the same compare-and-set contract as the DynamoDB one, whose every
// operation can be handed to fast-check's scheduler so that the test chooses the interleaving.

import type { Ledger } from "../../../handlers/notifier/ledger.ts";
import type { LedgerItem } from "../../../handlers/notifier/types.ts";

export function memoryLedger(
  step: <T>(operation: () => T) => Promise<T>,
): Ledger & { items: Map<string, LedgerItem> } {
  const items = new Map<string, LedgerItem>();
  const copy = (item: LedgerItem | undefined) => (item ? structuredClone(item) : undefined);
  return {
    items,
    get: (pk) => step(() => copy(items.get(pk))),
    put: (item, expectedRev) =>
      step(() => {
        const current = items.get(item.pk);
        if (expectedRev === undefined ? current !== undefined : current?.rev !== expectedRev) return false;
        items.set(item.pk, structuredClone(item));
        return true;
      }),
    async *scan() {
      for (const item of items.values()) yield structuredClone(item);
    },
  };
}
