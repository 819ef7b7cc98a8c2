#!/usr/bin/env node
// Launcher for the `compliance` CLI: runs the TypeScript sources directly through tsx,
// so a fresh clone needs nothing but `npm ci`.
import { register } from "tsx/esm/api";

register();
await import("../cli/main.ts");
