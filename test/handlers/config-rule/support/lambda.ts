// A Lambda execution environment for the built bundle: a worker thread with its own environment
// imports dist/handlers/config-rule.mjs natively (the cold start), then takes invocations. Its
// JSON logs and EMF metrics come back parsed; nothing is printed.

import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { BUNDLE } from "./bundle.ts";

export interface RuleOutcome {
  status: "evaluated" | "ignored" | "malformed";
  messageType?: string;
  rule?: string;
  written: number;
  byCompliance: Record<"COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE", number>;
  itemsEvaluated: number;
  vanished: number;
  unchanged: number;
  testMode: boolean;
  error?: string;
}

/** An error the handler threw (the invocation failed: Lambda would retry it). */
export class InvocationError extends Error {
  constructor(
    override readonly name: string,
    message: string,
  ) {
    super(message);
  }
}

/** The environment a handler gets in these tests: a local endpoint, fake credentials, JSON logs. */
export function handlerEnv(endpointUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_REGION: "eu-west-1",
    AWS_ENDPOINT_URL: endpointUrl,
    AWS_ACCESS_KEY_ID: "AKIDTEST",
    AWS_SECRET_ACCESS_KEY: "test-secret",
    POWERTOOLS_DEV: "true", // logs and metrics through the console, which the worker forwards
    POWERTOOLS_METRICS_DISABLED: "false",
    POWERTOOLS_LOG_LEVEL: "DEBUG",
    ...extra,
  };
}

type Message =
  | { type: "ready" }
  | { type: "init-error"; error: { name: string; message: string } }
  | { type: "console"; method: string; text: string }
  | { type: "warning"; text: string }
  | { type: "result"; id: number; outcome?: RuleOutcome; error?: { name: string; message: string } };

export class Lambda {
  /** Log lines: {level, message, rule?, resourceType?, ...}. */
  readonly logs: Record<string, unknown>[] = [];
  /** EMF documents (with `_aws`). */
  readonly metrics: Record<string, unknown>[] = [];
  /** Process warnings and anything else printed. */
  readonly other: string[] = [];
  private readonly pending = new Map<
    number,
    { resolve: (o: RuleOutcome) => void; reject: (e: Error) => void }
  >();
  private next = 0;

  private constructor(private readonly worker: Worker) {}

  /** A new execution environment (cold start) with this environment. */
  static async start(env: Record<string, string>, bundle = BUNDLE): Promise<Lambda> {
    const variables: Record<string, string | undefined> = { ...process.env, ...env };
    for (const k of ["AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE", "AWS_PROFILE"])
      if (!(k in env)) delete variables[k];
    const worker = new Worker(new URL("./lambda-worker.mjs", import.meta.url), {
      env: variables,
      workerData: { bundle: pathToFileURL(bundle).href },
      stdout: false,
      stderr: false,
    });
    const lambda = new Lambda(worker);
    await new Promise<void>((resolve, reject) => {
      worker.on("message", (m: Message) => {
        if (m.type === "ready") resolve();
        else if (m.type === "init-error") reject(new InvocationError(m.error.name, m.error.message));
        else lambda.receive(m);
      });
      worker.on("error", reject);
    });
    return lambda;
  }

  private receive(m: Message): void {
    if (m.type === "console") {
      try {
        const parsed = JSON.parse(m.text) as Record<string, unknown>;
        if ("_aws" in parsed) this.metrics.push(parsed);
        else this.logs.push(parsed);
      } catch {
        this.other.push(m.text);
      }
    } else if (m.type === "warning") this.other.push(m.text);
    else if (m.type === "result") {
      const waiter = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error) waiter?.reject(new InvocationError(m.error.name, m.error.message));
      else waiter?.resolve(m.outcome!);
    }
  }

  /** One invocation; rejects with InvocationError when the handler throws. */
  invoke(event: unknown): Promise<RuleOutcome> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, event });
    });
  }

  /**
   * As Lambda runs an asynchronous invocation (AWS Config invokes rules asynchronously): when the
   * handler throws, the same event is invoked again, twice at most.
   */
  async invokeWithRetries(event: unknown, retries = 2): Promise<{ outcome?: RuleOutcome; errors: Error[] }> {
    const errors: Error[] = [];
    for (let attempt = 0; attempt <= retries; attempt++) {
      try {
        return { outcome: await this.invoke(event), errors };
      } catch (error) {
        errors.push(error as Error);
      }
    }
    return { errors };
  }

  clear(): void {
    this.logs.length = 0;
    this.metrics.length = 0;
    this.other.length = 0;
  }

  /** The sum of a metric over the EMF documents, optionally for one dimension value. */
  metric(name: string, dimension?: Record<string, string>): number {
    let total = 0;
    for (const doc of this.metrics) {
      if (!(name in doc)) continue;
      if (dimension && !Object.entries(dimension).every(([k, v]) => doc[k] === v)) continue;
      const value = doc[name];
      total += Array.isArray(value) ? value.reduce((a: number, b: number) => a + b, 0) : Number(value);
    }
    return total;
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}
