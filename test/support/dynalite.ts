// Starts dynalite (a real implementation of the DynamoDB API, in memory) on 127.0.0.1, port 0,
// and creates the findings ledger table from the template's own definition (deploy/ledger-table.ts).

import { createRequire } from "node:module";
import type { AddressInfo, Server } from "node:net";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ledgerCreateTableInput } from "../../deploy/ledger-table.ts";

// dynalite ships no types: load it through require with the one signature used here.
const dynalite = createRequire(import.meta.url)("dynalite") as (options: {
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}) => Server;

export interface Dynalite {
  endpoint: string;
  /** Creates a ledger table (from deploy/ledger-table.ts) and returns its name. */
  createLedgerTable(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function startDynalite(): Promise<Dynalite> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: "eu-west-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  return {
    endpoint,
    async createLedgerTable(name) {
      await client.send(new CreateTableCommand(ledgerCreateTableInput(name)));
      return name;
    },
    async close() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
