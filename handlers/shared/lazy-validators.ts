// Validators generated at build time, one module per catalogue service, loaded when a run needs
// that service. The Config rule's bundle holds each service's validators as a part of its own, text
// compiled on first use (build/single-file.mjs): a rule scoped to one service (as the member
// template deploys them) compiles that service's validators, not the whole catalogue's, which are
// most of the bundle.
//
// Until its service is loaded a control's validators are stand-ins that throw (a run that forgot
// to load fails closed and says so); loading puts the generated functions in their place, on the
// same catalogue objects, so evaluation calls them directly.

import type { ValidateFunction } from "ajv";
import type { Catalogue, PrecompiledValidators } from "../../engine/catalogue-model.ts";

/** A control's generated validators: the export names in its service's module. */
export interface ValidatorIndexEntry {
  service: string;
  check: string;
  applies?: string;
}

/** A service's module of generated validators (exports named as in the index). */
export type ValidatorModule = Record<string, unknown>;

export interface LazyValidators {
  /** Stand-ins for `assembleCatalogue`, replaced by `load`. */
  validators: PrecompiledValidators;
  /** Loads the validators of these services (undefined: every service) into the catalogue. */
  load(catalogue: Catalogue, services?: readonly string[]): Promise<void>;
}

function notLoaded(id: string, service: string): ValidateFunction {
  const standIn = () => {
    throw new Error(`the validators of service ${service} (control ${id}) were not loaded before evaluating`);
  };
  return standIn as unknown as ValidateFunction;
}

function exported(module: ValidatorModule, name: string, service: string): ValidateFunction {
  const fn = module[name];
  if (typeof fn !== "function")
    throw new Error(`validators of service ${service}: no export ${name}: rebuild`);
  return fn as ValidateFunction;
}

export function lazyValidators(
  index: Readonly<Record<string, ValidatorIndexEntry>>,
  modules: Readonly<Record<string, () => Promise<ValidatorModule>>>,
): LazyValidators {
  const validators: PrecompiledValidators = {};
  for (const [id, entry] of Object.entries(index)) {
    validators[id] = {
      check: notLoaded(id, entry.service),
      ...(entry.applies ? { applies: notLoaded(id, entry.service) } : {}),
    };
  }
  const loaded = new Map<string, Promise<void>>();

  async function loadService(catalogue: Catalogue, service: string): Promise<void> {
    const importModule = modules[service];
    if (!importModule) return; // a service without controls has no module
    const module = await importModule();
    for (const control of catalogue.controls) {
      const entry = index[control.id];
      if (control.service !== service || !entry) continue;
      control.validate = exported(module, entry.check, service);
      if (entry.applies) control.applies = exported(module, entry.applies, service);
    }
  }

  return {
    validators,
    async load(catalogue, services) {
      const wanted = services ?? Object.keys(modules);
      await Promise.all(
        wanted.map((service) => {
          let loading = loaded.get(service);
          if (!loading) {
            loading = loadService(catalogue, service);
            loaded.set(service, loading);
            // A failed import is tried again by the next run.
            loading.catch(() => loaded.delete(service));
          }
          return loading;
        }),
      );
    },
  };
}
