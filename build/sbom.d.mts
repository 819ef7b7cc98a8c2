// Types of build/sbom.mjs.

export interface BundledPackage {
  name: string;
  version: string;
  licence: string | undefined;
}
export function bundledPackages(mapFile: string): BundledPackage[];
export function bundledPackagesOf(mapFiles: string[]): BundledPackage[];
export function purl(pkg: { name: string; version: string }): string;
export function cycloneDx(
  name: string,
  project: { name: string; version: string; license?: string },
  packages: BundledPackage[],
): Record<string, unknown>;
