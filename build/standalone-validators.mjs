// Ajv standalone code for every control's `check` and `appliesTo`, with the Ajv options the engine
// uses (createAjv: strict, allErrors, verbose, formats, rules/ keywords): one module exporting
// `c<i>` / `a<i>`, and the index from control id to those names. Shared by the Lambda bundles
// (ES module) and the CLI/library build (CommonJS, loaded synchronously). `generateValidatorGroups`
// writes the same validators as one ES module per catalogue service, for a bundle that loads a
// service's validators only when a run needs them (handlers/shared/lazy-validators.ts).

import { Ajv } from "ajv";
import standalone from "ajv/dist/standalone/index.js";

const standaloneCode = standalone.default ?? standalone;

/** Every control's schemas added to one Ajv instance, with the export names of their validators. */
function compiled(catalogue, createAjv, esm) {
  const ajv = createAjv();
  ajv.opts.code.source = true;
  ajv.opts.code.esm = esm;
  const controls = catalogue.controls.map((control, i) => {
    ajv.addSchema(control.check, `compliance:check:${i}`);
    const refs = { [`c${i}`]: `compliance:check:${i}` };
    const names = { check: `c${i}` };
    if (control.appliesTo) {
      ajv.addSchema(control.appliesTo, `compliance:applies:${i}`);
      refs[`a${i}`] = `compliance:applies:${i}`;
      names.applies = `a${i}`;
    }
    return { control, refs, names };
  });
  return { ajv, controls };
}

export function generateValidators(catalogue, createAjv, { esm }) {
  const { ajv, controls } = compiled(catalogue, createAjv, esm);
  const refs = {};
  const index = {};
  for (const c of controls) {
    Object.assign(refs, c.refs);
    index[c.control.id] = c.names;
  }
  return { code: standaloneCode(ajv, refs), index };
}

/**
 * One ES module per service: `modules[service]` is the code of that service's validators (and of
 * what they reference), `index[id]` names the service and the exports of a control's validators.
 */
export function generateValidatorGroups(catalogue, createAjv) {
  const { ajv, controls } = compiled(catalogue, createAjv, true);
  const refsByService = new Map();
  const index = {};
  for (const c of controls) {
    const service = c.control.service;
    refsByService.set(service, { ...refsByService.get(service), ...c.refs });
    index[c.control.id] = { service, ...c.names };
  }
  const modules = {};
  for (const [service, refs] of refsByService) modules[service] = standaloneCode(ajv, refs);
  return { modules, index };
}

/** Standalone code (CommonJS) of one schema compiled with `options`, exported as `name`. */
export function generateValidator(schema, options, name) {
  const ajv = new Ajv({ ...options, code: { source: true } });
  ajv.addSchema(schema, name);
  return standaloneCode(ajv, { [name]: name });
}
