// The handler bundles of the test run: see test/support/bundles.ts.
export { BUNDLE, buildWith, ensureBundle, ROOT } from "../../../support/bundles.ts";
