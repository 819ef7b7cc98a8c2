// Ajv standalone code for every control's `check` and `appliesTo`, with the Ajv options the engine
// uses (createAjv: strict, allErrors, verbose, formats, rules/ keywords): one module exporting
// `c<i>` / `a<i>`, and the index from control id to those names. Shared by the Lambda bundles
// (ES module) and the CLI/library build (CommonJS, loaded synchronously).

import standalone from "ajv/dist/standalone/index.js";

const standaloneCode = standalone.default ?? standalone;

export function generateValidators(catalogue, createAjv, { esm }) {
  const ajv = createAjv();
  ajv.opts.code.source = true;
  ajv.opts.code.esm = esm;
  const refs = {};
  const index = {};
  catalogue.controls.forEach((control, i) => {
    ajv.addSchema(control.check, `compliance:check:${i}`);
    refs[`c${i}`] = `compliance:check:${i}`;
    index[control.id] = { check: `c${i}` };
    if (control.appliesTo) {
      ajv.addSchema(control.appliesTo, `compliance:applies:${i}`);
      refs[`a${i}`] = `compliance:applies:${i}`;
      index[control.id].applies = `a${i}`;
    }
  });
  return { code: standaloneCode(ajv, refs), index };
}
