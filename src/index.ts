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
export { NameConstraints, type NameConstraintsOptions } from './private-ca/name-constraints';
export { type HierarchyCaOptions, PrivateCaHierarchy, type PrivateCaHierarchyProps } from './private-ca/private-ca-hierarchy';
export { CaSharePrincipal } from './private-ca/ca-share-principal';
export { type CaShareOptions, CaSharePermission, type CaSharePermissionOptions } from './private-ca/ca-share-permission';
export { CertificateAuthorityPolicy, type CertificateAuthorityPolicyProps } from './private-ca/ca-policy';
export { AuditReportFormat, CertificateAuthorityAuditReport, type CertificateAuthorityAuditReportProps } from './private-ca/audit-report';
export { CaIssuerRole, type CaIssuerRoleProps } from './private-ca/ca-issuer-role';
export { type CaIssuerPodIdentityOptions, type CaIssuerServiceAccountOptions, CaIssuerTrust } from './private-ca/ca-issuer-trust';
export { CertificateMonitor, type CertificateMonitorProps } from './monitoring/certificate-monitor';
export { AcmAccountConfiguration, type AcmAccountConfigurationProps } from './monitoring/acm-account-configuration';
export { PkiChecks } from './checks/pki-checks';
