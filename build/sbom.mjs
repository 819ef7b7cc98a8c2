// A CycloneDX 1.5 software bill of materials for one Lambda bundle: exactly the npm packages whose
// files esbuild put into it, read from its source map (its `sources` name every input file; the Config
// rule's lists those of the parts it embeds as text too), with version, licence and package URL. Deterministic: the same bundle gives the same bytes
// (no timestamp, no random serial number), so it can sit beside the content-addressed zip.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { declaredLicence } from "./licences.mjs";

const MARKER = `${sep}node_modules${sep}`;

/** The directory of the package that holds `file` (the last node_modules segment), or undefined. */
function packageDirOf(file) {
  const at = file.lastIndexOf(MARKER);
  if (at < 0) return undefined;
  const rest = file.slice(at + MARKER.length).split(sep);
  const depth = rest[0]?.startsWith("@") ? 2 : 1;
  return file.slice(0, at + MARKER.length) + rest.slice(0, depth).join(sep);
}

/** The packages bundled into the module whose source map is `mapFile`, sorted by name. */
export function bundledPackages(mapFile) {
  return bundledPackagesOf([mapFile]);
}

/** The packages bundled into the modules of these source maps. */
export function bundledPackagesOf(mapFiles) {
  const dirs = new Set();
  for (const mapFile of mapFiles) {
    const top = JSON.parse(readFileSync(mapFile, "utf8"));
    // An index map (the Config rule's one file) has a map per section, each with its sources.
    for (const map of top.sections ? top.sections.map((s) => s.map) : [top]) {
      const base = resolve(dirname(mapFile), map.sourceRoot ?? "");
      for (const source of map.sources ?? []) {
        const dir = packageDirOf(resolve(base, source));
        if (dir) dirs.add(dir);
      }
    }
  }
  const packages = new Map();
  for (const dir of dirs) {
    const manifestFile = join(dir, "package.json");
    if (!existsSync(manifestFile)) throw new Error(`${manifestFile}: bundled package without a package.json`);
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
    const key = `${manifest.name}@${manifest.version}`;
    if (!packages.has(key)) {
      packages.set(key, {
        name: manifest.name,
        version: manifest.version,
        licence: declaredLicence(manifest),
      });
    }
  }
  return [...packages.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The package URL of an npm package (`@scope/name` keeps its scope as the namespace, `@` encoded). */
export function purl({ name, version }) {
  return `pkg:npm/${name.replace(/^@/, "%40")}@${encodeURIComponent(version)}`;
}

function licences(expression) {
  if (!expression) return undefined;
  return /\s(OR|AND|WITH)\s/.test(expression) || expression.startsWith("(")
    ? [{ expression }]
    : [{ license: { id: expression } }];
}

/** The CycloneDX 1.5 JSON document of a bundle named `name` (the project's own version). */
export function cycloneDx(name, project, packages) {
  const component = (p) => {
    const c = { type: "library", "bom-ref": purl(p), name: p.name, version: p.version, purl: purl(p) };
    const l = licences(p.licence);
    if (l) c.licenses = l;
    return c;
  };
  const self = { name: `${project.name}/${name}`, version: project.version };
  return {
    bomFormat: "CycloneDX",
    specVersion: "1.5",
    version: 1,
    metadata: {
      component: {
        type: "application",
        "bom-ref": `${project.name}:${name}`,
        name: self.name,
        version: self.version,
        description: `AWS Lambda bundle dist/handlers/${name}.mjs`,
        licenses: licences(project.license),
      },
    },
    components: packages.map(component),
    dependencies: [{ ref: `${project.name}:${name}`, dependsOn: packages.map(purl) }],
  };
}
