// Network timeouts for every AWS SDK client the handlers create. The SDK's defaults wait forever:
// `requestTimeout` alone only logs a warning unless `throwOnRequestTimeout` is set, and without a
// socket timeout a connection that was accepted but never answered holds the handler until the
// Lambda timeout (losing that invocation's work and, in the notifier, holding its ledger claims).
// Here a connection must open within `connectionTimeout`, a socket may stay idle at most
// `socketTimeout`, and a whole request-response must finish within `requestTimeout`, else it fails
// with TimeoutError, which the SDK's retry strategy retries like any transient error.
//
// HTTP_CONNECT_TIMEOUT_MS and HTTP_REQUEST_TIMEOUT_MS override the defaults (positive integers).

export interface HttpTimeouts {
  connectionTimeout: number;
  requestTimeout: number;
  socketTimeout: number;
  throwOnRequestTimeout: true;
}

export interface TimeoutDefaults {
  connectMs: number;
  requestMs: number;
}

function positive(raw: string | undefined, fallback: number): number {
  const value = Number.parseInt(raw ?? "", 10);
  return Number.isSafeInteger(value) && value > 0 ? value : fallback;
}

/** The request handler options of an SDK client (the SDK builds its NodeHttpHandler from them). */
export function httpTimeouts(
  defaults: TimeoutDefaults,
  env: Record<string, string | undefined> = process.env,
): HttpTimeouts {
  const connectionTimeout = positive(env.HTTP_CONNECT_TIMEOUT_MS, defaults.connectMs);
  const requestTimeout = positive(env.HTTP_REQUEST_TIMEOUT_MS, defaults.requestMs);
  return { connectionTimeout, requestTimeout, socketTimeout: requestTimeout, throwOnRequestTimeout: true };
}
