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

export function loadFixtures(kind: "ci" | "ci-partial"): Fixture[] {
  const root = join(FIXTURES, kind);
  return readdirSync(root)
    .sort()
    .flatMap((folder) =>
      readdirSync(join(root, folder))
        .filter((f) => f.endsWith(".json"))
        .sort()
        .map((file) => ({
          name: `${kind}/${folder}/${file}`,
          resourceType: folder.replace(/_/g, "::"),
          raw: JSON.parse(readFileSync(join(root, folder, file), "utf8")) as unknown,
        })),
    );
}

export function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, name), "utf8"));
}
