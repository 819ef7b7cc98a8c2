// The AWS clients that read an account's settings for its `AWS::::Account` item (./item.ts).
// Created on first use, and loaded then too (./lazy-reader.ts): only the rule whose sweep covers
// `AWS::::Account` needs them, so no other rule's cold start pays for them. Endpoints, region and credentials come the standard SDK way
// (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>...; S3 Control's account host prefix is left off
// on a loopback endpoint, s3ControlEndpoint). The reads are best effort: a part whose call
// fails is left out of the item (its controls fail closed) and read again at the next sweep, so
// the clients keep the SDK's default of 3 attempts instead of holding the sweep in backoff.

import { AccessAnalyzerClient } from "@aws-sdk/client-accessanalyzer";
import { AccountClient } from "@aws-sdk/client-account";
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GuardDutyClient } from "@aws-sdk/client-guardduty";
import { IAMClient } from "@aws-sdk/client-iam";
import { S3ControlClient } from "@aws-sdk/client-s3-control";
import { SecurityHubClient } from "@aws-sdk/client-securityhub";
import { ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { SSMClient } from "@aws-sdk/client-ssm";
import { retrySettings } from "../clients.ts";

export const ACCOUNT_MAX_ATTEMPTS = 3;

export interface AccountClients {
  config: ConfigServiceClient;
  cloudTrail: CloudTrailClient;
  s3Control: S3ControlClient;
  iam: IAMClient;
  accessAnalyzer: AccessAnalyzerClient;
  securityHub: SecurityHubClient;
  guardDuty: GuardDutyClient;
  serviceQuotas: ServiceQuotasClient;
  cloudWatch: CloudWatchClient;
  dynamoDb: DynamoDBClient;
  ssm: SSMClient;
  account: AccountClient;
}

/**
 * S3 Control addresses the account by host name (`<account>.s3-control.<region>.amazonaws.com`):
 * the SDK's endpoint rules put the account id before the endpoint's host, a configured one too.
 * On a loopback endpoint (a local endpoint standing in for AWS: `localhost`, 127.0.0.0/8, `::1`)
 * that makes `111111111111.127.0.0.1`, not a URL, or `111111111111.localhost`, a name nothing
 * resolves; there the client uses the endpoint as configured, with no host prefix (the account
 * still goes in the `x-amz-account-id` header). Every other endpoint, AWS's own included, keeps
 * the SDK's rules.
 */
export function s3ControlEndpoint(env: NodeJS.ProcessEnv): {
  disableHostPrefix?: true;
  endpointProvider?: () => { url: URL };
} {
  if (/^(true|1)$/i.test(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? "")) return {};
  const endpoint = env.AWS_ENDPOINT_URL_S3_CONTROL || env.AWS_ENDPOINT_URL;
  if (!endpoint || !isLoopback(endpoint)) return {};
  return { disableHostPrefix: true, endpointProvider: () => ({ url: new URL(endpoint) }) };
}

function isLoopback(endpoint: string): boolean {
  let host: string;
  try {
    host = new URL(endpoint).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** A stuck connection fails instead of running into the Lambda timeout. */
const requestHandler = { connectionTimeout: 5_000, requestTimeout: 30_000 };

export function createAccountClients(): AccountClients {
  const options = { ...retrySettings(process.env, ACCOUNT_MAX_ATTEMPTS), requestHandler };
  return {
    config: new ConfigServiceClient(options),
    cloudTrail: new CloudTrailClient(options),
    s3Control: new S3ControlClient({ ...options, ...s3ControlEndpoint(process.env) }),
    iam: new IAMClient(options),
    accessAnalyzer: new AccessAnalyzerClient(options),
    securityHub: new SecurityHubClient(options),
    guardDuty: new GuardDutyClient(options),
    serviceQuotas: new ServiceQuotasClient(options),
    cloudWatch: new CloudWatchClient(options),
    dynamoDb: new DynamoDBClient(options),
    ssm: new SSMClient(options),
    account: new AccountClient(options),
  };
}
