// Types of build/audit.mjs (a plain ES module, so that `npm run audit` needs no TypeScript loader).

export interface AuditWaiver {
  advisory: string;
  package: string;
  reason: string;
  approver: string;
  expires: string;
}

export const WAIVERS_FILE: string;
export function checkWaivers(waivers: unknown, today: string): { inForce: AuditWaiver[]; problems: string[] };
export function judge(
  report: unknown,
  waivers: unknown,
  today: string,
): { status: "pass" | "fail" | "skipped"; lines: string[] };
