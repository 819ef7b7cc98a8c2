// The cases of policies/platform-resources.json: each a real item (a fixture, edited with JSON
// pointers) and the disposition the list must give it: `platform-managed`, `finding`, or `none`
// (no entry of its type matches: the critical allowed-service finding).

import { caseItem } from "./cases.ts";
import type { Catalogue } from "./catalogue-model.ts";
import { ALLOWED_SERVICE_CONTROL } from "./evaluate.ts";
import { type PlatformCase, platformEntryFor } from "./platform-resources.ts";

export interface PlatformCaseResult {
  /** The entry's finding id, else the allowed-service control's (which a platform-managed entry passes) and the type. */
  controlId: string;
  service: "platform";
  file: string;
  caseIndex: number;
  name: string;
  expected: PlatformCase["expect"];
  actual: PlatformCase["expect"] | "ERROR";
  ok: boolean;
  message: string;
}

/** Runs the cases of every entry of the catalogue's platform-resources list. */
export function runPlatformCases(
  catalogue: Catalogue,
  readFixture: (name: string) => unknown,
): PlatformCaseResult[] {
  const platform = catalogue.platform;
  if (!platform) return [];
  const results: PlatformCaseResult[] = [];
  for (const entry of platform.entries) {
    (entry.cases ?? []).forEach((testCase, caseIndex) => {
      const base = {
        controlId: entry.finding?.id ?? `${ALLOWED_SERVICE_CONTROL.id} (${entry.resourceType})`,
        service: "platform" as const,
        file: platform.file,
        caseIndex,
        name: testCase.name,
        expected: testCase.expect,
      };
      try {
        const item = caseItem(
          { resourceType: entry.resourceType },
          {
            name: testCase.name,
            expect: "PASS",
            fixture: testCase.fixture,
            ...(testCase.set ? { set: testCase.set } : {}),
          },
          readFixture,
        );
        const decided = platformEntryFor(platform, item);
        // Only this entry's verdict counts: another entry of the type deciding is "none" here.
        const actual = decided === entry ? entry.disposition : "none";
        const message =
          decided === undefined
            ? `no entry of ${entry.resourceType} matches: the critical ${ALLOWED_SERVICE_CONTROL.id} finding`
            : `${decided.disposition}: ${decided.finding?.message ?? decided.managedBy}`;
        results.push({ ...base, actual, ok: actual === testCase.expect, message });
      } catch (error) {
        results.push({ ...base, actual: "ERROR", ok: false, message: String(error) });
      }
    });
  }
  return results;
}
