// The account item reader with its clients: what ./lazy-reader.ts imports on first use.

import type { ItemContext } from "../log-groups.ts";
import { createAccountClients } from "./clients.ts";
import { accountItem } from "./item.ts";

/** Creates the account-level clients once; each call reads the account item with them. */
export function accountItemReader(): (context: ItemContext) => Promise<Record<string, unknown>> {
  const clients = createAccountClients();
  return (context) => accountItem(clients, context);
}
