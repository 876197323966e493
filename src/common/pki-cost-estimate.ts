import { Annotations, AspectPriority, Aspects, CfnResource, IAspect, Stack, Token, Tokenization, Reference } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { IConstruct } from 'constructs';
import { costEstimateMessage, GENERAL_PURPOSE_CA_MONTHLY, SHORT_LIVED_CA_MONTHLY } from '../validation/prices';

const CA_TYPE = 'AWS::ACMPCA::CertificateAuthority';
const ACM_CERTIFICATE_TYPE = 'AWS::CertificateManager::Certificate';
/** The custom resource of `DnsValidatedCertificate` (named here: `common/` cannot import `certificates/`). */
const DNS_VALIDATED_CERTIFICATE_TYPE = 'Custom::CdkPkiDnsValidatedCertificate';
const SHORT_LIVED = 'SHORT_LIVED_CERTIFICATE';

/** Stacks annotated already, so that several estimates (automatic and added by hand) annotate once. */
const annotated = new WeakSet<Stack>();
/** Stacks whose estimate the library's constructs registered. */
const registered = new WeakSet<Stack>();
/** Per app: the CAs ACM certificates are requested from, or `undefined` when some reference cannot be traced. */
const acmIssuersByApp = new WeakMap<IConstruct, Set<IConstruct> | undefined>();

/**
 * A synth-time cost estimate: an info annotation on each stack that creates AWS Private CA
 * certificate authorities or exportable public certificates, with the monthly CA charge ("this stack
 * creates 3 general-purpose CAs and 1 short-lived CA: about $1,250 per month before per-certificate
 * charges") and what exportable certificates cost at issuance and renewal. It also adds an info hint
 * to each general-purpose subordinate CA that could be a cheaper short-lived-certificate CA.
 *
 * The CAs and exportable certificates of this library add it to their stack themselves. Add it
 * yourself to count resources made with `CfnCertificateAuthority` or `acm.Certificate` in stacks with
 * none of ours: `Aspects.of(app).add(new PkiCostEstimate())`. Each stack is annotated once.
 *
 * It reads the resources (`AWS::ACMPCA::CertificateAuthority` and its `UsageMode`,
 * `AWS::CertificateManager::Certificate` with `CertificateExport: ENABLED`), so it counts what the
 * template will hold, however it was made. Prices: US East list prices, as read on the date the
 * annotation names.
 */
export class PkiCostEstimate implements IAspect {
  public visit(node: IConstruct): void {
    if (!Stack.isStack(node) || annotated.has(node)) return;
    annotated.add(node);
    estimateStack(node);
  }
}

/**
 * Adds the cost estimate to the stack of `scope` once (read-only priority, so it sees what other
 * aspects add). Called by the constructs that create CAs or exportable certificates.
 */
export function registerCostEstimate(scope: IConstruct): void {
  const stack = Stack.of(scope);
  if (registered.has(stack)) return;
  registered.add(stack);
  Aspects.of(stack).add(new PkiCostEstimate(), { priority: AspectPriority.READONLY });
}

function estimateStack(stack: Stack): void {
  let generalPurposeCas = 0;
  let shortLivedCas = 0;
  let exportableCertificates = 0;
  let exportableFqdnNames = 0;
  let exportableWildcardNames = 0;
  const cas: CfnResource[] = [];
  // What the short-lived hint needs, read in the same walk (nested stacks included, as CA sharing anywhere below counts).
  const caCertificates: acmpca.CfnCertificate[] = [];
  let sharesCas = false;
  for (const c of stack.node.findAll()) {
    if (!CfnResource.isCfnResource(c)) continue;
    const type = c.cfnResourceType;
    if (type === 'AWS::RAM::ResourceShare' || type === 'Custom::CdkPkiCaPolicy') sharesCas = true;
    if (c instanceof acmpca.CfnCertificate) caCertificates.push(c);
    if (c.stack !== stack) continue;
    if (type === CA_TYPE) {
      cas.push(c);
      if (usageModeOf(c) === SHORT_LIVED) shortLivedCas++;
      else generalPurposeCas++;
    } else if (type === ACM_CERTIFICATE_TYPE || type === DNS_VALIDATED_CERTIFICATE_TYPE) {
      const names = exportableNames(c);
      if (names === undefined) continue;
      exportableCertificates++;
      const wildcards = names.filter((n) => typeof n === 'string' && n.startsWith('*.')).length;
      exportableWildcardNames += wildcards;
      exportableFqdnNames += names.length - wildcards;
    }
  }
  const message = costEstimateMessage({ generalPurposeCas, shortLivedCas, exportableCertificates, exportableFqdnNames, exportableWildcardNames });
  if (message) Annotations.of(stack).addInfo(message);
  if (!sharesCas) hintShortLived(stack, cas, caCertificates);
}

/** A property of a CFN resource: the L1 attribute, else the raw properties of a generic `CfnResource`. */
function propertyOf(resource: CfnResource, l1: string, cfn: string): unknown {
  const own = (resource as unknown as Record<string, unknown>)[l1];
  if (own !== undefined) return own;
  const raw = (resource as unknown as { _cfnProperties?: Record<string, unknown> })._cfnProperties;
  return raw?.[cfn];
}

function usageModeOf(ca: CfnResource): string | undefined {
  const mode = propertyOf(ca, 'usageMode', 'UsageMode');
  return typeof mode === 'string' && !Token.isUnresolved(mode) ? mode : undefined;
}

/** The names of an exportable public certificate, or undefined when it is not exportable (or private). */
function exportableNames(certificate: CfnResource): unknown[] | undefined {
  const exported = propertyOf(certificate, 'certificateExport', 'CertificateExport') ?? propertyOf(certificate, '', 'Export');
  if (exported !== 'ENABLED' || propertyOf(certificate, 'certificateAuthorityArn', 'CertificateAuthorityArn') !== undefined) return undefined;
  const sans = propertyOf(certificate, 'subjectAlternativeNames', 'SubjectAlternativeNames');
  const names = [propertyOf(certificate, 'domainName', 'DomainName'), ...Array.isArray(sans) ? sans : []];
  return [...new Set(names)];
}

/** The CA resource a CA ARN refers to (directly, or through its activation), if it can be traced. */
function caOf(arn: unknown): IConstruct | undefined {
  if (typeof arn !== 'string') return undefined;
  const token = Tokenization.reverseString(arn).firstToken;
  if (!(token instanceof Reference)) return undefined;
  const target = token.target;
  if (target instanceof acmpca.CfnCertificateAuthorityActivation) return caOf(target.certificateAuthorityArn);
  return CfnResource.isCfnResource(target) && target.cfnResourceType === CA_TYPE ? target : undefined;
}

/** The CAs that ACM certificates anywhere in the app are requested from; undefined when one cannot be traced. */
function acmIssuers(root: IConstruct): Set<IConstruct> | undefined {
  if (acmIssuersByApp.has(root)) return acmIssuersByApp.get(root);
  let issuers: Set<IConstruct> | undefined = new Set();
  for (const c of root.node.findAll()) {
    if (!(c instanceof acm.CfnCertificate) || c.certificateAuthorityArn === undefined) continue;
    const ca = caOf(c.certificateAuthorityArn);
    if (ca === undefined) {
      issuers = undefined;
      break;
    }
    issuers.add(ca);
  }
  acmIssuersByApp.set(root, issuers);
  return issuers;
}

/**
 * The hint: a general-purpose SUBORDINATE CA that signs no other CA in its stack and from which no ACM
 * certificate of the app is requested could be a short-lived-certificate CA (ACM cannot issue from
 * those; direct issuance can, for certificates valid 7 days or less). Quiet when any ACM certificate's
 * CA cannot be traced, when a CA certificate's issuer cannot be traced, or when the stack shares CAs
 * (RAM or a CA policy: another account's ACM might issue from them).
 */
function hintShortLived(stack: Stack, cas: CfnResource[], caCertificates: acmpca.CfnCertificate[]): void {
  const candidates = cas.filter((ca) => usageModeOf(ca) !== SHORT_LIVED && propertyOf(ca, 'type', 'Type') === 'SUBORDINATE');
  if (!candidates.length) return;
  const parents = new Set<IConstruct>();
  for (const c of caCertificates) {
    if (!JSON.stringify(stack.resolve(c.templateArn) ?? '').includes('SubordinateCACertificate')) continue;
    const parent = caOf(c.certificateAuthorityArn);
    if (parent === undefined) return;
    parents.add(parent);
  }
  const issuers = acmIssuers(stack.node.root);
  if (issuers === undefined) return;
  for (const ca of candidates) {
    if (parents.has(ca) || issuers.has(ca)) continue;
    const owner = ca.node.id === 'Resource' && ca.node.scope ? ca.node.scope : ca;
    Annotations.of(owner).addInfo(
      `cdk-pki cost hint: ${owner.node.path} is a general-purpose CA (about $${GENERAL_PURPOSE_CA_MONTHLY.usd} per month) that signs no CA ` +
        'and from which no ACM certificate of this app is requested. If the certificates it issues are valid for 7 days or less, ' +
        `usageMode: CaUsageMode.SHORT_LIVED_CERTIFICATE costs about $${SHORT_LIVED_CA_MONTHLY.usd} per month ` +
        '(ACM cannot issue from short-lived-certificate CAs, and the mode cannot change after creation).',
    );
  }
}
