// Real configuration items recorded by AWS Config (public sample data) (test/fixtures/ci and ci-partial).

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));

export interface Fixture {
  /** e.g. `ci/AWS_S3_Bucket/c7n-s3.json` */
  name: string;
  /** The resource type, from the folder name (`AWS_S3_Bucket` -> `AWS::S3::Bucket`). */
  resourceType: string;
  raw: unknown;
}

// The files' texts, read once per test process: a dozen test files load the same fixtures (the test
// files share their worker process). Each call still parses them, so every caller gets its own
// objects to change.
const texts = new Map<string, ReadonlyArray<{ name: string; resourceType: string; text: string }>>();

function fixtureTexts(kind: "ci" | "ci-partial") {
  let read = texts.get(kind);
  if (!read) {
    const root = join(FIXTURES, kind);
    read = readdirSync(root)
      .sort()
      .flatMap((folder) =>
        readdirSync(join(root, folder))
          .filter((f) => f.endsWith(".json"))
          .sort()
          .map((file) => ({
            name: `${kind}/${folder}/${file}`,
            resourceType: folder.replace(/_/g, "::"),
            text: readFileSync(join(root, folder, file), "utf8"),
          })),
      );
    texts.set(kind, read);
  }
  return read;
}

export function loadFixtures(kind: "ci" | "ci-partial"): Fixture[] {
  return fixtureTexts(kind).map(({ name, resourceType, text }) => ({
    name,
    resourceType,
    raw: JSON.parse(text) as unknown,
  }));
}

export function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, name), "utf8"));
}
