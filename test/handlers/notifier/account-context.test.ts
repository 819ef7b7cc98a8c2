// The account context from AWS Organizations through a real SDK client and the local JSON 1.1
// endpoint: tags to rating, the in-memory cache and its time to live, throttling, unknown accounts.

import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { accountForRouting, createAccountDirectory } from "../../../handlers/notifier/account-context.ts";
import {
  attemptsFor,
  organizationsRetryStrategy,
  THROTTLED_ATTEMPTS,
} from "../../../handlers/notifier/organizations-retry.ts";
import {
  type OrganizationsEndpoint,
  startOrganizationsEndpoint,
} from "../../support/organizations-endpoint.ts";
import { ACCOUNTS, organisation } from "./harness.ts";

let org: OrganizationsEndpoint;
let client: OrganizationsClient;
/** Configured as the notifier configures it (wiring.ts). */
let notifierClient: OrganizationsClient;

beforeAll(async () => {
  org = await startOrganizationsEndpoint(organisation());
  client = new OrganizationsClient({
    endpoint: org.endpoint,
    region: "eu-west-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 8,
  });
  notifierClient = new OrganizationsClient({
    endpoint: org.endpoint,
    region: "eu-west-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: THROTTLED_ATTEMPTS,
    retryStrategy: organizationsRetryStrategy(() => 0),
  });
});
afterAll(async () => {
  client.destroy();
  notifierClient.destroy();
  await org.close();
});
beforeEach(() => org.reset());

const operations = () => org.calls.map((c) => c.operation);

describe("account context", () => {
  test("DescribeAccount, every page of ListTagsForResource and ListParents make the context", async () => {
    org.pageSize = 1;
    const directory = createAccountDirectory(client);
    const account = await directory.get(ACCOUNTS.rated);
    org.pageSize = 100;
    expect(account).toEqual({
      accountId: ACCOUNTS.rated,
      name: "shared-dev",
      rating: { c: 2, i: 2, a: 2 },
      unclassified: false,
      environment: "development",
      owner: "Bob@Example.com",
      tags: { "cia-rating": "C2I2A2", environment: "development", owner: "Bob@Example.com" },
      found: true,
      status: "ACTIVE",
      parentId: "r-root",
    });
    expect(operations()).toEqual([
      "DescribeAccount",
      "ListTagsForResource",
      "ListTagsForResource",
      "ListTagsForResource",
      "ListParents",
    ]);
  });

  test("production forces the highest rating; a malformed rating gives the highest and unclassified", async () => {
    const directory = createAccountDirectory(client);
    expect(await directory.get(ACCOUNTS.production)).toMatchObject({
      rating: { c: 3, i: 3, a: 3 },
      unclassified: false,
      environment: "production",
      parentId: "ou-prod-11111111",
    });
    expect(await directory.get(ACCOUNTS.unclassified)).toMatchObject({
      rating: { c: 3, i: 3, a: 3 },
      unclassified: true,
    });
  });

  test("cached for its time to live, shared by concurrent lookups, asked again once it expires", async () => {
    let now = 1_000_000;
    const directory = createAccountDirectory(client, { ttlMs: 60_000, now: () => now });
    await Promise.all([
      directory.get(ACCOUNTS.rated),
      directory.get(ACCOUNTS.rated),
      directory.get(ACCOUNTS.rated),
    ]);
    now += 59_999;
    await directory.get(ACCOUNTS.rated);
    expect(operations().filter((o) => o === "DescribeAccount")).toHaveLength(1);
    // The owner changes the tags; the next lookup after the TTL sees it.
    org.accounts[ACCOUNTS.rated]!.tags = { "cia-rating": "C3I1A1" };
    now += 2;
    expect(await directory.get(ACCOUNTS.rated)).toMatchObject({ rating: { c: 3, i: 1, a: 1 } });
    expect(operations().filter((o) => o === "DescribeAccount")).toHaveLength(2);
    org.accounts[ACCOUNTS.rated]!.tags = organisation()[ACCOUNTS.rated]!.tags;
  });

  test("throttling (TooManyRequestsException) is retried by the client", async () => {
    org.failNext("ListParents", 1);
    const directory = createAccountDirectory(client);
    expect(await directory.get(ACCOUNTS.unowned)).toMatchObject({ name: "legacy", found: true });
    expect(operations().filter((o) => o === "ListParents")).toHaveLength(2);
  });

  test("an account Organizations does not know is unclassified; other failures are not cached", async () => {
    const directory = createAccountDirectory(client);
    expect(await directory.get("000000000000")).toMatchObject({
      found: false,
      unclassified: true,
      rating: { c: 3, i: 3, a: 3 },
    });
    org.failNext("DescribeAccount", 1, { status: 400, type: "AccessDeniedException", message: "no" });
    await expect(directory.get(ACCOUNTS.lowRated)).rejects.toThrow("no");
    expect(await directory.get(ACCOUNTS.lowRated)).toMatchObject({
      found: true,
      rating: { c: 1, i: 1, a: 1 },
    });
  });

  test("ListParents failing only loses the parent: the account is still known", async () => {
    org.failNext("ListParents", 1, { status: 400, type: "AccessDeniedException", message: "no" });
    const account = await createAccountDirectory(client).get(ACCOUNTS.rated);
    expect(account).toMatchObject({ found: true, rating: { c: 2, i: 2, a: 2 } });
    expect(account.parentId).toBeUndefined();
  });

  test("for routing, a failed lookup is the unclassified account (highest rating), with the reason; never thrown", async () => {
    const directory = createAccountDirectory(client);
    const warnings: unknown[] = [];
    org.failNext("DescribeAccount", 1, { status: 400, type: "AccessDeniedException", message: "denied" });
    const account = await accountForRouting(directory, ACCOUNTS.lowRated, (_level, message, details) =>
      warnings.push({ message, details }),
    );
    expect(account).toEqual({
      accountId: ACCOUNTS.lowRated,
      rating: { c: 3, i: 3, a: 3 },
      unclassified: true,
      tags: {},
      found: false,
      lookupError: "AccessDeniedException: denied",
    });
    expect(warnings).toEqual([
      {
        message: "AWS Organizations lookup failed: the account is routed as unclassified",
        details: { accountId: ACCOUNTS.lowRated, error: "AccessDeniedException: denied" },
      },
    ]);
    // Not cached: Organizations answers the next time.
    expect(await accountForRouting(directory, ACCOUNTS.lowRated)).toMatchObject({
      found: true,
      rating: { c: 1, i: 1, a: 1 },
    });
  });

  test("the notifier's retries: throttling up to 8 attempts, a server error twice, AccessDenied once", async () => {
    expect([attemptsFor("THROTTLING"), attemptsFor("TRANSIENT"), attemptsFor("CLIENT_ERROR")]).toEqual([
      8, 2, 1,
    ]);
    const directory = () => createAccountDirectory(notifierClient);
    const describes = () => operations().filter((o) => o === "DescribeAccount").length;
    org.failNext("DescribeAccount", 7);
    expect(await directory().get(ACCOUNTS.rated)).toMatchObject({ found: true });
    expect(describes()).toBe(8);
    org.reset();
    org.failNext("DescribeAccount", 8);
    await expect(directory().get(ACCOUNTS.rated)).rejects.toThrow(/another request is already in progress/);
    expect(describes()).toBe(8);
    org.reset();
    org.failNext("DescribeAccount", 2, { status: 500, type: "InternalFailure" });
    await expect(directory().get(ACCOUNTS.rated)).rejects.toThrow();
    expect(describes()).toBe(2);
    org.reset();
    org.failNext("DescribeAccount", 1, { status: 400, type: "AccessDeniedException", message: "denied" });
    await expect(directory().get(ACCOUNTS.rated)).rejects.toThrow("denied");
    expect(describes()).toBe(1);
  });

  test("ListAccounts: every page", async () => {
    org.pageSize = 2;
    const all = await createAccountDirectory(client).list();
    org.pageSize = 100;
    expect(all.map((a) => a.id)).toEqual(Object.keys(organisation()));
    expect(operations().filter((o) => o === "ListAccounts")).toHaveLength(3);
  });
});
