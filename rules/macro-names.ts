// The names of the vocabulary's macro keywords, as plain data: engine/messages.ts needs them at
// evaluation time (a macro keyword reports through the schema it expands to), and must not import
// the keyword definitions themselves, some of which import Ajv's code generator (build time only).
// test/rules/vocabulary.test.ts pins this list to the macro keywords of rules/index.ts.

export const MACRO_KEYWORD_NAMES: readonly string[] = [
  "at",
  "hasStatement",
  "noStatementAllowing",
  "denyInsecureTransport",
  "publicAccess",
  "accountPart",
];
