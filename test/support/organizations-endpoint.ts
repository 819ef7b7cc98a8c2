// A local AWS Organizations endpoint speaking JSON 1.1 (`X-Amz-Target:
// AWSOrganizationsV20161128.<Operation>`): DescribeAccount, ListTagsForResource, ListParents and
// ListAccounts over an organisation the test describes. It records every call, pages its lists,
// and injects faults (throttling by default). Listens on 127.0.0.1, port 0.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenOnLoopback } from "./loopback.ts";

export interface OrgAccount {
  name: string;
  tags: Record<string, string>;
  parentId?: string;
  status?: "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE";
}

export interface OrgCall {
  operation: string;
  input: Record<string, unknown>;
}

export interface OrgFault {
  status: number;
  type: string;
  message?: string;
}

export const THROTTLED: OrgFault = {
  status: 400,
  type: "TooManyRequestsException",
  message: "AWS Organizations can't complete your request because another request is already in progress.",
};

export interface OrganizationsEndpoint {
  endpoint: string;
  /** The organisation, by account id: edit it freely between calls. */
  accounts: Record<string, OrgAccount>;
  calls: OrgCall[];
  /** Page size of ListAccounts and ListTagsForResource. */
  pageSize: number;
  /** The next `count` calls of `operation` fail with `fault` (default: throttled). */
  failNext(operation: string, count: number, fault?: OrgFault): void;
  reset(): void;
  close(): Promise<void>;
}

const TARGET_PREFIX = "AWSOrganizationsV20161128.";

export async function startOrganizationsEndpoint(
  accounts: Record<string, OrgAccount> = {},
): Promise<OrganizationsEndpoint> {
  const queued: { operation: string; fault: OrgFault }[] = [];
  const api: OrganizationsEndpoint = {
    endpoint: "",
    accounts,
    calls: [],
    pageSize: 100,
    failNext(operation, count, fault = THROTTLED) {
      for (let i = 0; i < count; i++) queued.push({ operation, fault });
    },
    reset() {
      api.calls.length = 0;
      queued.length = 0;
    },
    close: async () => {},
  };

  const page = <T>(all: T[], token: unknown): { items: T[]; next?: string } => {
    const start = Number(token ?? 0);
    const items = all.slice(start, start + api.pageSize);
    return start + api.pageSize < all.length ? { items, next: String(start + api.pageSize) } : { items };
  };

  const notFound = (id: unknown): OrgFault => ({
    status: 400,
    type: "AccountNotFoundException",
    message: `You specified an account that doesn't exist: ${String(id)}`,
  });

  function answer(operation: string, input: Record<string, unknown>): { status: number; body: unknown } {
    const index = queued.findIndex((q) => q.operation === operation);
    const fault = index >= 0 ? queued.splice(index, 1)[0]!.fault : undefined;
    if (fault)
      return { status: fault.status, body: { __type: fault.type, Message: fault.message ?? fault.type } };
    const fail = (f: OrgFault) => ({ status: f.status, body: { __type: f.type, Message: f.message } });
    switch (operation) {
      case "DescribeAccount": {
        const id = String(input.AccountId);
        const a = api.accounts[id];
        if (!a) return fail(notFound(id));
        return { status: 200, body: { Account: describe(id, a) } };
      }
      case "ListTagsForResource": {
        const a = api.accounts[String(input.ResourceId)];
        if (!a) return fail({ ...notFound(input.ResourceId), type: "TargetNotFoundException" });
        const { items, next } = page(Object.entries(a.tags), input.NextToken);
        return {
          status: 200,
          body: { Tags: items.map(([Key, Value]) => ({ Key, Value })), ...(next ? { NextToken: next } : {}) },
        };
      }
      case "ListParents": {
        const a = api.accounts[String(input.ChildId)];
        if (!a) return fail({ ...notFound(input.ChildId), type: "ChildNotFoundException" });
        const id = a.parentId ?? "r-root";
        return {
          status: 200,
          body: { Parents: [{ Id: id, Type: id.startsWith("ou-") ? "ORGANIZATIONAL_UNIT" : "ROOT" }] },
        };
      }
      case "ListAccounts": {
        const { items, next } = page(Object.entries(api.accounts), input.NextToken);
        return {
          status: 200,
          body: { Accounts: items.map(([id, a]) => describe(id, a)), ...(next ? { NextToken: next } : {}) },
        };
      }
      default:
        return { status: 400, body: { __type: "UnknownOperationException", Message: operation } };
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
      const text = Buffer.concat(chunks).toString("utf8");
      const input = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
      api.calls.push({ operation, input });
      const { status, body } = answer(operation, input);
      res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
      res.end(JSON.stringify(body));
    });
  });
  Object.assign(api, await listenOnLoopback(server));
  return api;
}

function describe(id: string, a: OrgAccount) {
  const status = a.status ?? "ACTIVE";
  return {
    Id: id,
    Arn: `arn:aws:organizations::111111111111:account/o-example/${id}`,
    Email: `aws+${id}@example.com`,
    Name: a.name,
    Status: status,
    State: status,
    JoinedMethod: "CREATED",
    JoinedTimestamp: 1_700_000_000,
  };
}
