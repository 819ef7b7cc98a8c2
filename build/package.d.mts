// Types of build/package.mjs (a plain ES module, so that `npm run package` needs no TypeScript loader).

export interface PackagedHandler {
  name: string;
  file: string;
  bytes: number;
  /** Hex sha256 of the zip. */
  sha256: string;
  /** Base64 of the same digest: what Lambda reports as CodeSha256. */
  codeSha256: string;
  /** The content-addressed key to upload the zip under. */
  s3Key: string;
  entries: string[];
  /** The CycloneDX SBOM written beside the zip (null when the bundle has no source map). */
  sbom: { file: string; components: number } | null;
}

/** The files of one bundle (itself, the chunks it imports, their source maps), relative to inDir. */
export function bundleFiles(inDir: string, bundle: string): string[];
export function zipEntries(entries: { name: string; data: Buffer }[]): Promise<Buffer>;
export function packageHandlers(inDir: string, outDir: string): Promise<PackagedHandler[]>;
