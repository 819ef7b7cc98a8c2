// `npm run package`: one deterministic zip per Lambda bundle, for the templates' S3 code keys.
// dist/handlers/<name>.mjs (+ <name>.mjs.map) -> dist/packages/<name>.zip, and beside it
// <name>.cdx.json, the CycloneDX SBOM of the npm packages the bundle carries (from its source map,
// which also lists the sources of the parts the Config rule's bundle embeds as text). Every bundle
// is one self-contained file; should one import a relative module, that module is zipped with it.
// A bundle that carries a package whose licence is not on the allow-list (build/licences.mjs) is
// refused.
// Same input bytes -> same zip bytes: entries sorted, fixed mtime and mode, no extended timestamp
// field, fixed compression level. Prints each package's name, size and sha256, and writes
// dist/packages/manifest.json with the content-addressed S3 key to upload it under.
// Usage: node build/package.mjs [--in DIR] [--out DIR]

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, posix, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import yazl from "yazl";
import { isAllowedLicence } from "./licences.mjs";
import { bundledPackagesOf, cycloneDx } from "./sbom.mjs";

/** 1980-01-01 00:00 in local time: the DOS epoch, encoded the same in every time zone. */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
const FILE_MODE = 0o100644;
const ENTRY = {
  mtime: FIXED_MTIME,
  mode: FILE_MODE,
  compress: true,
  compressionLevel: 9,
  forceDosTimestamp: true,
};

/** The zip of the given entries ({ name, data }), as one buffer. */
export function zipEntries(entries) {
  const zip = new yazl.ZipFile();
  for (const { name, data } of [...entries].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  )) {
    zip.addBuffer(data, name, ENTRY);
  }
  zip.end({ forceZip64Format: false });
  return new Promise((resolvePromise, reject) => {
    const chunks = [];
    zip.outputStream.on("data", (chunk) => chunks.push(chunk));
    zip.outputStream.on("error", reject);
    zip.outputStream.on("end", () => resolvePromise(Buffer.concat(chunks)));
  });
}

/** The relative module paths a module imports (esbuild writes them as string literals). */
const RELATIVE_IMPORT = /(?:\bfrom|\bimport\s*\(|\bimport)\s*"(\.\.?\/[^"]+\.mjs)"/g;

/**
 * The files of one bundle, relative to `inDir`: `<bundle>`, any relative module it imports
 * (transitively; build/bundle.mjs writes none), and every one's source map when there is one.
 * Sorted; a module that is imported but missing is an error.
 */
export function bundleFiles(inDir, bundle) {
  const modules = new Set();
  const pending = [bundle];
  while (pending.length > 0) {
    const file = pending.pop();
    if (modules.has(file)) continue;
    if (!existsSync(join(inDir, file))) {
      throw new Error(`${bundle}: imports ${file}, which is not in ${inDir} (run npm run build again)`);
    }
    modules.add(file);
    const text = readFileSync(join(inDir, file), "utf8");
    for (const [, specifier] of text.matchAll(RELATIVE_IMPORT)) {
      pending.push(posix.normalize(posix.join(posix.dirname(file), specifier)));
    }
  }
  const files = [...modules];
  for (const file of modules) if (existsSync(join(inDir, `${file}.map`))) files.push(`${file}.map`);
  return files.sort();
}

/** This project's name, version and licence, for the SBOM's subject. */
function project() {
  return JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
}

/** Packages every `*.mjs` of `inDir` into `outDir`; returns what it wrote. */
export async function packageHandlers(inDir, outDir) {
  if (!existsSync(inDir)) throw new Error(`${inDir}: no bundles to package (run npm run build first)`);
  const bundles = readdirSync(inDir)
    .filter((f) => f.endsWith(".mjs"))
    .sort();
  if (bundles.length === 0) throw new Error(`${inDir}: no *.mjs bundles in it (run npm run build first)`);
  mkdirSync(outDir, { recursive: true });
  const packages = [];
  for (const bundle of bundles) {
    const name = basename(bundle, ".mjs");
    const files = bundleFiles(inDir, bundle);
    const entries = files.map((file) => ({ name: file, data: readFileSync(join(inDir, file)) }));
    const maps = files.filter((file) => file.endsWith(".map")).map((file) => join(inDir, file));
    let sbom = null;
    if (existsSync(join(inDir, `${bundle}.map`))) {
      const bundled = bundledPackagesOf(maps);
      const refused = bundled.filter((p) => !isAllowedLicence(p.licence));
      if (refused.length > 0) {
        const list = refused.map((p) => `${p.name}@${p.version} (${p.licence ?? "no licence"})`).join(", ");
        throw new Error(`${bundle}: carries packages whose licence is not allowed at run time: ${list}`);
      }
      sbom = { file: join(outDir, `${name}.cdx.json`), components: bundled.length };
      writeFileSync(sbom.file, `${JSON.stringify(cycloneDx(name, project(), bundled), null, 2)}\n`);
    }
    const zip = await zipEntries(entries);
    const sha256 = createHash("sha256").update(zip).digest("hex");
    const file = join(outDir, `${name}.zip`);
    writeFileSync(file, zip);
    packages.push({
      name,
      file,
      bytes: zip.length,
      sha256,
      // Lambda's CodeSha256 is the base64 of the same digest.
      codeSha256: Buffer.from(sha256, "hex").toString("base64"),
      s3Key: `compliance/${name}-${sha256.slice(0, 16)}.zip`,
      entries: entries.map((e) => e.name).sort(),
      sbom,
    });
  }
  const rel = (file) => relative(process.cwd(), file) || file;
  const manifest = packages.map(({ file, sbom, ...p }) => ({
    ...p,
    file: rel(file),
    sbom: sbom && { file: rel(sbom.file), components: sbom.components },
  }));
  writeFileSync(join(outDir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return packages;
}

async function main() {
  const { values } = parseArgs({
    options: {
      in: { type: "string", default: "dist/handlers" },
      out: { type: "string", default: "dist/packages" },
    },
    strict: true,
  });
  try {
    const packages = await packageHandlers(resolve(values.in), resolve(values.out));
    for (const p of packages) {
      process.stdout.write(`${p.name}.zip\t${p.bytes} bytes\tsha256 ${p.sha256}\ts3 key ${p.s3Key}\n`);
      process.stdout.write(
        p.sbom
          ? `${p.name}.cdx.json\tCycloneDX SBOM, ${p.sbom.components} npm packages, every licence allowed\n`
          : `${p.name}: no source map, so no SBOM\n`,
      );
    }
  } catch (error) {
    process.stderr.write(`package: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) await main();
