import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { CertificateBase } from '../certificates/certificate-base';
import { DnsValidatedCertificate } from '../certificates/dns-validated-certificate';
import { ImportedCertificate } from '../certificates/imported-certificate';
import { PrivateCertificate } from '../certificates/private-certificate';
import { PublicCertificate } from '../certificates/public-certificate';
import { ValidationMethod } from '../certificates/public-certificate-validation';
import { RenewalKind } from '../validation/renewal-windows';

/**
 * How a certificate is renewed, which decides when its expiry alarm fires by default.
 *
 * `CertificateMonitor` infers it for the certificates of this library and of aws-cdk-lib; state it
 * (`addCertificate(certificate, { kind })`) for a certificate imported by ARN.
 */
export enum CertificateKind {
  /** A public certificate validated by DNS: ACM renews it from 60 days before expiry. */
  PUBLIC_DNS = 'PUBLIC_DNS',
  /** A public certificate validated by email: renewal emails from 45 days before expiry, approved by a person. */
  PUBLIC_EMAIL = 'PUBLIC_EMAIL',
  /** A private certificate ACM requested from AWS Private CA: renewed from 60 days before expiry, no validation. */
  PRIVATE = 'PRIVATE',
  /** An imported certificate: ACM never renews it; new material must be reimported. */
  IMPORTED = 'IMPORTED',
  /**
   * A certificate whose key is exported (an exportable public certificate, or a private one you export):
   * ACM renews it, and the renewed copy must be exported and installed again.
   */
  EXPORTED = 'EXPORTED',
}

/** Readable names of the kinds, for alarm descriptions and messages. */
export const KIND_LABELS: Readonly<Record<RenewalKind, string>> = {
  PUBLIC_DNS: 'DNS-validated public',
  PUBLIC_EMAIL: 'email-validated public',
  PRIVATE: 'private',
  IMPORTED: 'imported',
  EXPORTED: 'exported',
  UNKNOWN: 'unknown kind of',
};

/**
 * The kind of a certificate, as far as the construct tells: this library's classes, aws-cdk-lib's
 * certificates (read from their `AWS::CertificateManager::Certificate`), else `UNKNOWN` (imported by ARN).
 * An exportable public certificate is `EXPORTED`; a `PrivateCertificate` is `PRIVATE` even when a
 * `CertificateExport` exports it (both kinds have the same default threshold).
 */
export function inferCertificateKind(certificate: acm.ICertificate): RenewalKind {
  if (certificate instanceof ImportedCertificate) return 'IMPORTED';
  if (certificate instanceof PrivateCertificate) return 'PRIVATE';
  if (certificate instanceof CertificateBase && certificate._exportable === true) return 'EXPORTED';
  if (certificate instanceof DnsValidatedCertificate) return 'PUBLIC_DNS';
  if (certificate instanceof PublicCertificate) {
    return certificate.validationMethod === ValidationMethod.EMAIL ? 'PUBLIC_EMAIL' : 'PUBLIC_DNS';
  }
  const cfn = certificate.node.defaultChild;
  if (cfn instanceof acm.CfnCertificate) {
    if (cfn.certificateAuthorityArn !== undefined) return 'PRIVATE';
    if (cfn.certificateExport === 'ENABLED') return 'EXPORTED';
    return cfn.validationMethod === 'EMAIL' ? 'PUBLIC_EMAIL' : 'PUBLIC_DNS';
  }
  return 'UNKNOWN';
}

/** Whether the certificate is an ACM private certificate (its lifetime is ACM's private validity). */
export function isAcmPrivateCertificate(certificate: acm.ICertificate): boolean {
  if (certificate instanceof PrivateCertificate) return true;
  const cfn = certificate.node.defaultChild;
  return cfn instanceof acm.CfnCertificate && cfn.certificateAuthorityArn !== undefined;
}
