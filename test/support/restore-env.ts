// Vitest setup file, run before every test file: whatever a file does to the environment
// (endpoints, topics, log levels, a replaced process.env object) is undone when the file ends,
// so the files that share a worker process (isolate: false) see the environment they started
// with, never the last file's.

import { afterAll } from "vitest";

const env = process.env;
const saved = { ...env };

afterAll(() => {
  process.env = env;
  for (const name of Object.keys(env)) if (!(name in saved)) delete env[name];
  Object.assign(env, saved);
});
