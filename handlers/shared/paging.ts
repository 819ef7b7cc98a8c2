// Every paging loop of the handlers goes through `pages`: it stops when the service returns no
// token, and fails when a service returns a token it already returned (a misbehaving endpoint or
// proxy would otherwise keep a handler calling the same page until the Lambda timeout). Pages
// are yielded one at a time, so callers can act on each page before the next is read, and
// nothing spreads an unbounded array into a call's arguments.

export class RepeatedPageTokenError extends Error {
  override name = "RepeatedPageTokenError";
  constructor(
    readonly operation: string,
    readonly pagesRead: number,
  ) {
    super(
      `${operation} returned a page token it had already returned, after ${pagesRead} pages: paging stopped`,
    );
  }
}

/**
 * Calls `fetch` with each token in turn (undefined first) and yields each page. `tokenOf` reads
 * the next token from a page; an empty string counts as no token.
 */
export async function* pages<P>(
  operation: string,
  fetch: (token: string | undefined) => Promise<P>,
  tokenOf: (page: P) => string | undefined,
): AsyncGenerator<P> {
  const seen = new Set<string>();
  let token: string | undefined;
  let count = 0;
  do {
    const page = await fetch(token);
    count++;
    yield page;
    token = tokenOf(page) || undefined;
    if (token !== undefined) {
      if (seen.has(token)) throw new RepeatedPageTokenError(operation, count);
      seen.add(token);
    }
  } while (token !== undefined);
}

/** Appends every element of `source` to `target` without spreading it into call arguments. */
export function appendAll<T>(target: T[], source: Iterable<T>): void {
  for (const value of source) target.push(value);
}
