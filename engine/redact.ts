// Secrets never leave through an output. Configuration items carry Lambda environment variables
// and properties named like credentials; reports go to CI logs, pull-request comments, SNS e-mails
// and AWS Config annotations. Every value a message quotes passes through here: a value at a
// secret-looking path, and any secret-looking member inside a quoted object, is replaced by a mask
// that says how long it was, so the finding still names the property without showing it.

/** Property names that hold credentials: passwords, secrets, tokens, API and private keys. */
const SECRET_NAME =
  /pass(?:word|wd|phrase)|secret(?!s?(?:arn|id|name)$)|token|credential|api[-_]?key|private[-_]?key|access[-_]?key|secret[-_]?key|signing[-_]?key|session[-_]?key|client[-_]?secret|auth(?:orization)?$|^pwd$|connection[-_]?string|^dsn$/i;

/** Lambda's environment variables (`configuration.environment.variables`, any casing). */
const ENVIRONMENT = /(^|\/)environment\/variables(\/|$)/i;

export const MASK = (length: number): string => `[hidden: ${length} characters]`;

/**
 * Names that mention a secret but hold a fact about it (a flag, a date, a length, a policy setting,
 * an identifier): `password_enabled`, `MinimumPasswordLength`, `access_key_1_last_rotated`, `SecretArn`.
 */
const ABOUT_A_SECRET =
  /(enabled|active|present|used|used_date|changed|rotated|rotation|date|time|age|length|prevention|policy|required|status|type|arn|id|name|count|expiry|expires)$/i;

/** Whether a property name looks like it holds a secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !ABOUT_A_SECRET.test(name);
}

/** Whether the JSON pointer names a secret: an environment variable, or a secret-looking property. */
export function isSecretPointer(pointer: string): boolean {
  // Messages ask this of the same few pointers for every item: each is judged once.
  let secret = secretPointers.get(pointer);
  if (secret === undefined) {
    if (secretPointers.size >= SECRET_POINTER_CACHE_LIMIT) secretPointers.clear();
    secret = judgeSecretPointer(pointer);
    secretPointers.set(pointer, secret);
  }
  return secret;
}

const SECRET_POINTER_CACHE_LIMIT = 10_000;
const secretPointers = new Map<string, boolean>();

function judgeSecretPointer(pointer: string): boolean {
  if (ENVIRONMENT.test(pointer)) {
    // The variables object itself is a map of secrets; each variable is one.
    return true;
  }
  return pointer
    .split("/")
    .slice(1)
    .some((segment) => isSecretName(segment.replace(/~1/g, "/").replace(/~0/g, "~")));
}

function maskScalar(value: unknown): unknown {
  if (value === null || value === undefined || typeof value === "boolean") return value;
  return MASK(typeof value === "string" ? value.length : JSON.stringify(value).length);
}

/** A copy of `value` whose members are mapped by `each(member, key)`; prototype keys stay data. */
function mapMembers(value: object, each: (member: unknown, key: string) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v, i) => each(v, String(i)));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    Object.defineProperty(out, key, {
      value: each((value as Record<string, unknown>)[key], key),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** The structure of `value` kept, every scalar in it masked. */
function maskDeep(value: unknown): unknown {
  return value !== null && typeof value === "object" ? mapMembers(value, maskDeep) : maskScalar(value);
}

/**
 * The value with every secret masked: the whole value when `pointer` names a secret, else each
 * member (at any depth) whose name looks secret or that sits in an environment-variables map.
 */
export function redact(value: unknown, pointer = ""): unknown {
  if (isSecretPointer(pointer)) return maskDeep(value);
  if (value === null || typeof value !== "object") return value;
  return mapMembers(value, (member, key) =>
    redact(member, `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`),
  );
}
