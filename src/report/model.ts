/**
 * The estate as the report shows it: certificate authorities, certificates, what watches them and
 * what the checks found, read from a synthesized cloud assembly (`estate.ts` builds it). Values only
 * CloudFormation knows at deploy time read "unknown until deploy" (`UNKNOWN`).
 *
 * Internal to the report (not exported from the package index).
 */

/** Where a CA sits in its hierarchy. */
export type CaRole = 'root' | 'intermediate' | 'issuing' | 'external';

/** A finding on a CA or certificate: a PkiChecks (or other validation plugin) violation, or a synth warning. */
export interface Finding {
  /** `PKI-ACM1`, or the ID of a construct warning (`cdk-pki:email-validation`), or `warning`. */
  readonly id: string;
  /** `error`, `warning` or `info` (an info is a hint, e.g. the cost hint of a CA). */
  readonly level: string;
  readonly message: string;
  /** The construct path the finding is on. */
  readonly path: string;
  /** `PkiChecks` (a validation plugin) or `synth` (an annotation written by a construct). */
  readonly source: 'PkiChecks' | 'synth';
  /** The reason, when the finding is acknowledged in code. */
  readonly acknowledged?: string;
}

/** A CloudWatch alarm whose metric names a CA or certificate. */
export interface Watch {
  /** The alarm's construct path. */
  readonly path: string;
  /** What it watches, e.g. `DaysToExpiry < 45`. */
  readonly summary: string;
}

/** Something a CA or certificate is handed to: a secret it is exported to, a cross-stack export, a consumer. */
export interface Link {
  /** Unique in the estate. */
  readonly id: string;
  /** `secret` (a CertificateExport target), `source` (an imported certificate's material), `output` (a stack export). */
  readonly kind: 'secret' | 'source' | 'output';
  readonly label: string;
  readonly detail: string;
}

/** What every node of the estate has. */
export interface EstateNode {
  /** The construct path (unique in the app), or `stack/logicalId`, or the ARN of something outside the app. */
  readonly id: string;
  /** A short name: a CA's common name, a certificate's domain name. */
  readonly label: string;
  /** The stack's display name; empty for something outside the app. */
  readonly stack: string;
  readonly region: string;
  readonly alarms: Watch[];
  readonly findings: Finding[];
  /** What references it from another stack (`Fn::ImportValue`) or exports it (stack outputs). */
  readonly crossStack: string[];
}

/** A Private CA certificate authority. */
export interface CaInfo extends EstateNode {
  readonly role: CaRole;
  /** `ROOT` or `SUBORDINATE` (`unknown` for a CA outside the app). */
  readonly type: string;
  readonly keyAlgorithm: string;
  readonly signingAlgorithm: string;
  /** The validity of the CA's own certificate, e.g. `3650 days (10 years)`. */
  readonly validity: string;
  /** `GENERAL_PURPOSE` or `SHORT_LIVED_CERTIFICATE`. */
  readonly usageMode: string;
  /** The ID of the CA that signs its certificate, if in the estate. */
  readonly parentId?: string;
  /** Who signs its certificate when not a CA of the estate, e.g. `external CA (signed outside this app)`. */
  readonly parentNote?: string;
  /** Whether an `AWS::ACMPCA::Permission` lets ACM issue and renew with it. */
  readonly acmPermission: boolean;
  readonly renewal: string;
}

/** The kinds of certificate. */
export type CertificateKind = 'public-dns' | 'public-email' | 'public-http' | 'private' | 'imported' | 'referenced' | 'issued-by-ca';

/** A certificate. */
export interface CertificateInfo extends EstateNode {
  readonly kind: CertificateKind;
  readonly domains: string[];
  /** `DNS`, `EMAIL`, `HTTP`, `private CA`, `imported`, `none`. */
  readonly validation: string;
  /** The hosted zones (DNS) or validation domains (email) of its names. */
  readonly zones: string[];
  readonly keyAlgorithm: string;
  /** `ENABLED` when ACM lets it be exported. */
  readonly exportable: boolean;
  /** The CA that issues it. */
  readonly issuerId?: string;
  /** Secrets it is exported to (CertificateExport), or the material it is imported from. */
  readonly links: Link[];
  /** Resources that use it (CloudFront distributions, load balancer listeners, ...). */
  readonly usedBy: string[];
  /** Whether ACM renews it, as far as the template tells. */
  readonly renewal: string;
}

/** The cost estimate of one stack. */
export interface StackCost {
  readonly stack: string;
  /** Private CAs by usage mode. */
  readonly generalPurposeCas: number;
  readonly shortLivedCas: number;
  /** Exportable public certificates (charged at issuance and at each renewal). */
  readonly exportableCertificates: number;
  /** The estimate in words, as the stack's cost annotation says it. */
  readonly summary: string;
  /** The monthly CA charge in USD, before per-certificate charges. */
  readonly monthlyUsd: number;
}

/** One stack of the estate. */
export interface StackSummary {
  readonly name: string;
  readonly region: string;
  readonly account: string;
  readonly cas: number;
  readonly certificates: number;
  /** The info annotations of the stack (e.g. the cost estimate of the constructs). */
  readonly infos: string[];
}

/** The whole estate. */
export interface Estate {
  /** The cloud assembly folder. */
  readonly source: string;
  readonly stacks: StackSummary[];
  readonly cas: CaInfo[];
  readonly certificates: CertificateInfo[];
  /** PKI findings on nothing of the estate (e.g. an IAM policy that allows IssueCertificate). */
  readonly otherFindings: Finding[];
  readonly costs: StackCost[];
  /** Whether the app ran PkiChecks as a validation plugin (else its findings are not in the assembly). */
  readonly pkiChecksRan: boolean;
  /** Things the reader should know (no stacks, values unknown until deploy). */
  readonly notes: string[];
}
