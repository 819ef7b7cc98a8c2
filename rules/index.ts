// The custom keywords policy checks may use, for what JSON Schema cannot say in one word.
// Each rule is one file with an explicit id; the engine registers every one on its Ajv instance.

import type { KeywordDefinition } from "ajv";
import { publicAccessKeyword } from "./public-access.ts";

export const KEYWORDS: readonly KeywordDefinition[] = [publicAccessKeyword];
