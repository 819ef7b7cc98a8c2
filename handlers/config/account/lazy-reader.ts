// The `AWS::::Account` item reader, loaded on first use. The reader and its ten account-level SDK
// clients (Security Hub, GuardDuty, S3 Control, IAM...) are a third of the config-rule bundle,
// and only the scheduled sweep of a rule whose scope holds `AWS::::Account` runs them. The dynamic
// import makes them a part of the bundle kept as text (build/single-file.mjs), which every other cold
// start never parses.

import type { ItemContext } from "../log-groups.ts";

/** Builds the account item of the account and region the rule runs in. */
export type AccountItemReader = (context: ItemContext) => Promise<Record<string, unknown>>;

/** A reader that imports the real one (and creates its clients) on the first call, then reuses it. */
export function lazyAccountItemReader(): AccountItemReader {
  let loading: Promise<AccountItemReader> | undefined;
  return async (context) => {
    loading ??= import("./reader.ts").then(
      (module) => module.accountItemReader(),
      (error: unknown) => {
        loading = undefined; // a failed load is tried again at the next sweep
        throw error;
      },
    );
    return (await loading)(context);
  };
}
