// The findings ledger table of the notifier (handlers/notifier/ledger.ts): its CloudFormation
// resource and its key schema, in one place. The central template imports `ledgerTableResource`,
// the notifier imports the key names, and the tests create their dynalite table from
// `ledgerCreateTableInput`, so template, code and tests cannot drift apart.
// Plain data only: no AWS SDK here.

/** The partition key: `<account>#<region>#<rule>#<resourceType>#<resourceId>` (one item per finding). */
export const LEDGER_PARTITION_KEY = "pk";

/** Epoch seconds after which DynamoDB may delete a closed finding (DynamoDB time to live). */
export const LEDGER_TTL_ATTRIBUTE = "expiresAt";

/** The logical id of the table in the central template; its `Ref` is the notifier's `LEDGER_TABLE`. */
export const LEDGER_LOGICAL_ID = "FindingsLedgerTable";

export const LEDGER_KEY_SCHEMA = [{ AttributeName: LEDGER_PARTITION_KEY, KeyType: "HASH" }] as const;

export const LEDGER_ATTRIBUTE_DEFINITIONS = [
  { AttributeName: LEDGER_PARTITION_KEY, AttributeType: "S" },
] as const;

export interface LedgerTableResource {
  Type: "AWS::DynamoDB::Table";
  DeletionPolicy: "Retain";
  UpdateReplacePolicy: "Retain";
  Properties: {
    BillingMode: "PAY_PER_REQUEST";
    KeySchema: { AttributeName: string; KeyType: "HASH" }[];
    AttributeDefinitions: { AttributeName: string; AttributeType: "S" }[];
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true };
    SSESpecification: { SSEEnabled: true };
    TimeToLiveSpecification: { AttributeName: string; Enabled: true };
    DeletionProtectionEnabled: true;
  };
}

/**
 * The ledger as a CloudFormation resource: on demand and with point-in-time recovery (the
 * platform's own DynamoDB controls DDB.ON-DEMAND and DDB.PITR), deletion protection, retained on
 * stack deletion (it is the notification history).
 */
export function ledgerTableResource(): LedgerTableResource {
  return {
    Type: "AWS::DynamoDB::Table",
    DeletionPolicy: "Retain",
    UpdateReplacePolicy: "Retain",
    Properties: {
      BillingMode: "PAY_PER_REQUEST",
      KeySchema: LEDGER_KEY_SCHEMA.map((k) => ({ ...k })),
      AttributeDefinitions: LEDGER_ATTRIBUTE_DEFINITIONS.map((a) => ({ ...a })),
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: LEDGER_TTL_ATTRIBUTE, Enabled: true },
      DeletionProtectionEnabled: true,
    },
  };
}

/** The `CreateTable` input of the same table (tests and local runs), derived from the resource. */
export function ledgerCreateTableInput(tableName: string): {
  TableName: string;
  KeySchema: { AttributeName: string; KeyType: "HASH" }[];
  AttributeDefinitions: { AttributeName: string; AttributeType: "S" }[];
  BillingMode: "PAY_PER_REQUEST";
} {
  const { KeySchema, AttributeDefinitions, BillingMode } = ledgerTableResource().Properties;
  return { TableName: tableName, KeySchema, AttributeDefinitions, BillingMode };
}

/** The ledger's item writes: only the notifier (and the exempt principals) may make them. */
export const LEDGER_WRITE_ACTIONS = [
  "dynamodb:BatchWriteItem",
  "dynamodb:DeleteItem",
  "dynamodb:PartiQLDelete",
  "dynamodb:PartiQLInsert",
  "dynamodb:PartiQLUpdate",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
];
