// S3 Control's account host prefix: left off on a loopback endpoint (a local stand-in for AWS),
// kept everywhere else, AWS's own endpoints included.

import { describe, expect, it } from "vitest";
import { createAccountClients, s3ControlEndpoint } from "../../../../handlers/config/account/clients.ts";

describe("s3ControlEndpoint", () => {
  it.each([
    "http://127.0.0.1:4566",
    "http://127.10.0.3:80/",
    "http://localhost:4566",
    "https://LOCALHOST",
    "http://[::1]:4566",
  ])("leaves the prefix off for the loopback endpoint %s", (url) => {
    for (const env of [{ AWS_ENDPOINT_URL: url }, { AWS_ENDPOINT_URL_S3_CONTROL: url }]) {
      const options = s3ControlEndpoint(env);
      expect(options.disableHostPrefix).toBe(true);
      expect(options.endpointProvider?.().url.href).toBe(new URL(url).href);
    }
  });

  it.each([
    undefined,
    "https://s3-control.eu-west-1.amazonaws.com",
    "https://s3-control-fips.us-east-1.amazonaws.com",
    "http://10.0.0.5:4566",
    "http://localhost.example.com",
    "http://127.0.0.1.example.com",
    "not a url",
  ])("keeps the prefix for %s", (url) => {
    expect(s3ControlEndpoint(url === undefined ? {} : { AWS_ENDPOINT_URL: url })).toEqual({});
  });

  it("follows the S3 Control endpoint over the general one, and ignores both when configured endpoints are off", () => {
    expect(
      s3ControlEndpoint({
        AWS_ENDPOINT_URL: "http://127.0.0.1:4566",
        AWS_ENDPOINT_URL_S3_CONTROL: "https://s3-control.eu-west-1.amazonaws.com",
      }),
    ).toEqual({});
    expect(
      s3ControlEndpoint({
        AWS_ENDPOINT_URL: "http://127.0.0.1:4566",
        AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true",
      }),
    ).toEqual({});
  });

  it("is what the account clients' S3 Control client is built with", async () => {
    const saved = { ...process.env };
    try {
      process.env.AWS_REGION = "eu-west-1";
      process.env.AWS_ENDPOINT_URL = "http://127.0.0.1:4566";
      const local = createAccountClients().s3Control.config;
      expect(local.disableHostPrefix).toBe(true);
      expect(local.endpointProvider({ AccountId: "111111111111", Region: "eu-west-1" }).url.host).toBe(
        "127.0.0.1:4566",
      );
      delete process.env.AWS_ENDPOINT_URL;
      const aws = createAccountClients().s3Control.config;
      expect(aws.disableHostPrefix).toBe(false);
      expect(
        aws.endpointProvider({ AccountId: "111111111111", Region: "eu-west-1", RequiresAccountId: true }).url
          .host,
      ).toBe("111111111111.s3-control.eu-west-1.amazonaws.com");
    } finally {
      process.env = saved;
    }
  });
});
