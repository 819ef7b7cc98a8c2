// The set-up most config-rule test files share: a local Config endpoint and the built rule in a
// Lambda-like worker, started once per file and cleared before each test.

import { afterAll, beforeAll, beforeEach } from "vitest";
import { ConfigEndpoint } from "../../../support/config-endpoint.ts";
import { ensureBundle } from "./bundle.ts";
import { handlerEnv, Lambda } from "./lambda.ts";

export interface RuleHarness {
  endpoint: ConfigEndpoint;
  lambda: Lambda;
}

/**
 * Registers the hooks and returns the harness, whose fields are set once `beforeAll` ran.
 * `clearEachTest: false` keeps the endpoint's state and the logs across the file's tests.
 */
export function ruleHarness(options: { clearEachTest?: boolean } = {}): RuleHarness {
  const harness = {} as RuleHarness;
  beforeAll(async () => {
    ensureBundle();
    harness.endpoint = await ConfigEndpoint.start();
    harness.lambda = await Lambda.start(handlerEnv(harness.endpoint.url));
  });
  afterAll(async () => {
    await harness.lambda?.stop();
    await harness.endpoint?.close();
  });
  if (options.clearEachTest ?? true) {
    beforeEach(() => {
      harness.endpoint.reset();
      harness.lambda.clear();
    });
  }
  return harness;
}
