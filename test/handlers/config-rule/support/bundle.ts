// The handler bundles of the test run: see test/support/bundles.ts.
export { BUNDLE, buildWith, bundleText, ensureBundle, ROOT } from "../../../support/bundles.ts";
