// The e-mail addresses in an account's `owner` tag, lower-cased: the owner topic's subscriptions
// (owner-sync.ts) and the `owner` message attribute (render.ts) read them the same way.

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

/** The addresses in an `owner` tag: one address, or several separated by commas or semicolons. */
export function ownerAddresses(tag: string | undefined): { addresses: string[]; invalid: string[] } {
  const parts = (tag ?? "")
    .split(/[,;]+/)
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean);
  return { addresses: parts.filter((p) => EMAIL.test(p)), invalid: parts.filter((p) => !EMAIL.test(p)) };
}
