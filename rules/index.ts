// The custom keywords policy checks may use, for what JSON Schema cannot say in one word.
// Each rule is one file with an explicit id; the engine registers every one on its Ajv instance.

import type { KeywordDefinition } from "ajv";
import { accountPartKeyword } from "./account-part.ts";
import { maxAgeKeyword } from "./max-age.ts";
import { publicAccessKeyword } from "./public-access.ts";
import { quotaHeadroomKeyword } from "./quota-headroom.ts";

export const KEYWORDS: readonly KeywordDefinition[] = [
  publicAccessKeyword,
  accountPartKeyword,
  quotaHeadroomKeyword,
  maxAgeKeyword,
];
