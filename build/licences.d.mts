// Types of build/licences.mjs.

export const ALLOWED_LICENCES: string[];
export function declaredLicence(manifest: unknown): string | undefined;
export function isAllowedLicence(expression: string | undefined, allowed?: string[]): boolean;
export function productionPackages(
  root: string,
): { path: string; name: string; version: string; licence: string | undefined; optional: boolean }[];
