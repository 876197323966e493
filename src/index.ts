// The package's public API: every name here is public in TypeScript and, through jsii, in Python, Java, .NET and
// Go. Export each public type by name (never `export *`), so helpers a module exports for the library's own use
// (validation facts, renderers, defaults) stay internal; test/api/jsii-surface.test.ts checks the list.
export { KeyFamily } from './common/key-family';
export { AcmEventType, CertificateBase, type IPkiCertificate } from './certificates/certificate-base';
export { CertificateKeyAlgorithm } from './certificates/key-algorithm';
export { PublicCertificateValidation, ValidationMethod } from './certificates/public-certificate-validation';
export type { CertificateRequestProps } from './certificates/certificate-request';
export { PublicCertificate, type PublicCertificateProps } from './certificates/public-certificate';
export { DnsValidatedCertificate, type DnsValidatedCertificateProps, type DnsValidationZone } from './certificates/dns-validated-certificate';
export { PrivateCertificate, type PrivateCertificateProps } from './certificates/private-certificate';
export { CertificateMaterial, type SecretFieldNames, type SsmCertificateParameters } from './certificates/certificate-material';
export { ImportedCertificate, type ImportedCertificateProps } from './certificates/imported-certificate';
export { CertificateExport, type CertificateExportProps } from './certificates/certificate-export';
export { CaKeyAlgorithm, CaSigningAlgorithm, CaUsageMode, KeyStorageSecurityStandard } from './private-ca/ca-algorithms';
export type { CaRevocationOptions } from './private-ca/ca-revocation';
export type { CaSubject, CaSubjectCustomAttribute } from './private-ca/ca-subject';
export { CaValidity } from './private-ca/ca-validity';
export { type CaAlarmOptions, CertificateAuthorityBase, type IPkiCertificateAuthority } from './private-ca/certificate-authority-base';
export { CertificateTemplate } from './private-ca/certificate-template';
export { CrlBucket, type CrlBucketProps } from './private-ca/crl-bucket';
export { type CaCommonOptions, type CaShareResult, type CertificateAuthorityOptions, PrivateCertificateAuthority } from './private-ca/private-certificate-authority';
export { RootCa, type RootCaProps } from './private-ca/root-ca';
export { SubordinateCa, type SubordinateCaProps } from './private-ca/subordinate-ca';
// Issue 16 §5: a subordinate CA under an external (offline or on-premises) root, in two deployments.
export { type CaExternalPemOptions, CaExternalParent, type CaExternalSecretFields, type CaExternalSsmParameters } from './private-ca/ca-external-parent';
export { NameConstraints, type NameConstraintsOptions } from './private-ca/name-constraints';
export { type HierarchyCaOptions, PrivateCaHierarchy, type PrivateCaHierarchyProps } from './private-ca/private-ca-hierarchy';
export { CaSharePrincipal } from './private-ca/ca-share-principal';
export { type CaShareOptions, CaSharePermission, type CaSharePermissionOptions } from './private-ca/ca-share-permission';
export { CertificateAuthorityPolicy, type CertificateAuthorityPolicyProps } from './private-ca/ca-policy';
export { AuditReportFormat, CertificateAuthorityAuditReport, type CertificateAuthorityAuditReportProps } from './private-ca/audit-report';
export { CaIssuerRole, type CaIssuerRoleProps } from './private-ca/ca-issuer-role';
export { type CaIssuerPodIdentityOptions, type CaIssuerServiceAccountOptions, CaIssuerTrust } from './private-ca/ca-issuer-trust';
// IAM Roles Anywhere trust anchors on a CA, with the PEM CRL kept in sync (issue 16 §1).
export {
  type RolesAnywhereExpiryNotification, type RolesAnywhereRoleOptions, RolesAnywhereTrustAnchor, type RolesAnywhereTrustAnchorOptions,
  type RolesAnywhereTrustAnchorProps,
} from './private-ca/roles-anywhere-trust-anchor';
export { RolesAnywhereProfile, type RolesAnywhereProfileOptions, type RolesAnywhereProfileProps } from './private-ca/roles-anywhere-profile';
// Mutual TLS trust stores (issue 16 §2): the CA bundle in S3, ELB and CloudFront trust stores.
export { CaCertificateBundle, type CaCertificateBundleProps } from './private-ca/ca-certificate-bundle';
export { LoadBalancerTrustStore, type LoadBalancerTrustStoreProps } from './private-ca/load-balancer-trust-store';
export { CloudFrontTrustStore, type CloudFrontTrustStoreProps } from './private-ca/cloudfront-trust-store';
// CA certificate expiry monitoring (issue 17 §2): a daily check publishing DaysToCaExpiry, with tiered alarms.
export { type CaExpiryAlarms, CaExpiryCheck, type CaExpiryCheckProps, type CaExpiryOptions, CaExpiryTier, type CaMonitoringOptions } from './private-ca/ca-expiry-check';
export { CertificateMonitor, type CertificateMonitorProps } from './monitoring/certificate-monitor';
export { AcmAccountConfiguration, type AcmAccountConfigurationProps } from './monitoring/acm-account-configuration';
// Issue 17 (expiry thresholds from each certificate's kind and renewal window; synth-time cost estimate)
export { CertificateKind } from './monitoring/certificate-kind';
export { CertificateExpiryThreshold } from './monitoring/expiry-threshold';
export type { CertificateWatchOptions } from './monitoring/certificate-monitor';
export { PkiCostEstimate } from './common/pki-cost-estimate';
export { PkiChecks } from './checks/pki-checks';
