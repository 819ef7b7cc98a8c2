// Types of build/standalone-validators.mjs for the TypeScript that imports it (tests).
import type { Ajv } from "ajv";
import type { Catalogue } from "../engine/catalogue.ts";

export function generateValidators(
  catalogue: Catalogue,
  createAjv: () => Ajv,
  options: { esm: boolean },
): { code: string; index: Record<string, { check: string; applies?: string }> };

export function generateValidator(schema: object, options: object, name: string): string;
