// AWS::CertificateManager::Certificate is what AWS Config records as an AWS::ACM::Certificate:
// DescribeCertificate's fields. KeyAlgorithm as DescribeCertificate writes it, with a hyphen after
// the family ("RSA-2048", "EC-prime256v1", as the recorded items have it) where the template and
// RequestCertificate write "RSA_2048". Defaults from the ACM API reference (RequestCertificate):
// KeyAlgorithm RSA_2048, certificate transparency logging ENABLED; ValidationMethod EMAIL when
// omitted (AWS::CertificateManager::Certificate reference). A new certificate is
// PENDING_VALIDATION, AMAZON_ISSUED, or PRIVATE when a private CA signs it.

import { isObj } from "../types.ts";
import { isUnknown } from "../unknown.ts";
import { type Mapper, own } from "./helpers.ts";

/** `RSA_2048` -> `RSA-2048`, `EC_prime256v1` -> `EC-prime256v1`; an unknown value stays unknown. */
const describedAlgorithm = (value: unknown): unknown => {
  if (isUnknown(value) || typeof value !== "string") return value;
  return value.replace("_", "-");
};

export const acmCertificate: Mapper = (r, id, p) => {
  const arn = r.ref(id);
  const domain = p.DomainName;
  const alternatives = Array.isArray(p.SubjectAlternativeNames) ? p.SubjectAlternativeNames : [];
  const method = p.ValidationMethod ?? "EMAIL";
  const options = Array.isArray(p.DomainValidationOptions) ? p.DomainValidationOptions.filter(isObj) : [];
  const configuration: Record<string, unknown> = {
    certificateArn: arn,
    domainName: domain,
    subjectAlternativeNames: [domain, ...alternatives.filter((n) => n !== domain)],
    domainValidationOptions: [domain, ...alternatives.filter((n) => n !== domain)].map((name) => ({
      domainName: name,
      validationDomain: options.find((o) => o.DomainName === name)?.ValidationDomain ?? name,
      validationStatus: "PENDING_VALIDATION",
      validationMethod: method,
    })),
    subject: `CN=${String(domain)}`,
    status: "PENDING_VALIDATION",
    keyAlgorithm: describedAlgorithm(p.KeyAlgorithm ?? "RSA_2048"),
    inUseBy: [],
    type: p.CertificateAuthorityArn === undefined ? "AMAZON_ISSUED" : "PRIVATE",
    keyUsages: [],
    extendedKeyUsages: [],
    renewalEligibility: "INELIGIBLE",
    options: {
      certificateTransparencyLoggingPreference: p.CertificateTransparencyLoggingPreference ?? "ENABLED",
    },
  };
  if (p.CertificateAuthorityArn !== undefined)
    configuration.certificateAuthorityArn = p.CertificateAuthorityArn;
  return {
    configType: "AWS::ACM::Certificate",
    configuration,
    arn,
    name: String(domain),
    configResourceId: arn,
    origins: own(id, { "configuration.keyAlgorithm": "KeyAlgorithm" }),
  };
};
