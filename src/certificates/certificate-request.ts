import { Tags } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { CertificateKeyAlgorithm } from './key-algorithm';
import { DEFAULT_MAX_NAMES, MAX_NAMES_METADATA_KEY } from '../validation/acm-facts';
import { CheckedCertificateRequest } from '../validation/certificate-request';

/**
 * What every certificate that ACM issues on request is asked for: the properties `PublicCertificate`,
 * `DnsValidatedCertificate` and `PrivateCertificate` share.
 */
export interface CertificateRequestProps {
  /**
   * The first name of the certificate, its subject common name: a fully qualified domain name such as
   * `www.example.com` or a wildcard such as `*.example.com`. At most 64 octets.
   */
  readonly domainName: string;

  /**
   * More names for the certificate. A wildcard covers one level only, so add the apex
   * (`example.com`) next to `*.example.com` if you need both.
   *
   * @default - only `domainName`
   */
  readonly subjectAlternativeNames?: string[];

  /**
   * The key algorithm. ACM issues requested certificates with RSA_2048, EC_prime256v1 and EC_secp384r1
   * only; the other `CertificateKeyAlgorithm`s are for imported certificates. A private certificate's key
   * must be of its CA's family (RSA or EC).
   *
   * The certificate carries `KeyAlgorithm` only when you set this (or when a `PrivateCertificate`'s CA is an
   * EC CA of this library), like aws-cdk-lib's certificates: ACM's default is RSA_2048, and adding the
   * create-only property to an existing certificate would replace it.
   *
   * @default - RSA_2048, ACM's default (the property is left out); EC_prime256v1 for a `PrivateCertificate`
   * whose CA is an EC CA of this library
   */
  readonly keyAlgorithm?: CertificateKeyAlgorithm;

  /**
   * A friendly name, recorded in the certificate's `Name` tag (shown in the ACM console). Give the name
   * either here or as `tags.Name`, not both.
   *
   * @default - `tags.Name`, else the construct path (its first 255 characters)
   */
  readonly certificateName?: string;

  /**
   * Tags for the certificate: at most 50 with the `Name` tag, and no key starting with `aws:` (nor, on a
   * `DnsValidatedCertificate`, with `cdk-pki:`, which its handler uses). Tags added with
   * `Tags.of(scope).add()` reach the certificate too; for the same key, these win.
   *
   * @default - only the `Name` tag
   */
  readonly tags?: { [key: string]: string };

  /**
   * Your account's quota of names per certificate (ACM's default is 10; it can be raised to 100 through
   * Service Quotas). More names than this is a synth-time error.
   *
   * @default 10
   */
  readonly maxNames?: number;
}

/**
 * Puts a checked request's tags on the certificate resource, and records a raised name quota in its
 * metadata for PkiChecks (PKI-ACM6) and other template checks.
 */
export function applyCertificateRequest(cfn: acm.CfnCertificate, request: CheckedCertificateRequest): void {
  if (request.maxNames > DEFAULT_MAX_NAMES) cfn.addMetadata(MAX_NAMES_METADATA_KEY, request.maxNames);
  for (const [key, value] of Object.entries(request.tags)) {
    Tags.of(cfn).add(key, value);
  }
}
