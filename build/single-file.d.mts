import type { Metafile, OutputFile } from "esbuild";

export interface IndexSourceMap {
  version: 3;
  file: string;
  sections: { offset: { line: number; column: number }; map: { sources: string[]; mappings: string } }[];
}

/** Links an esbuild build with code splitting (write: false, with a metafile) into one ES module file. */
export function linkSingleFile(build: {
  name: string;
  outdir: string;
  absWorkingDir: string;
  outputFiles: OutputFile[];
  metafile: Metafile;
}): Promise<{ code: string; map: IndexSourceMap; lazy: string[] }>;

/** The parts a linked file holds deflated (what it reaches only through import()), as text, in file order. */
export function lazyParts(code: string): { id: string; text: string }[];
