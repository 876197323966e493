import { X509Certificate } from 'crypto';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { CaBundleResourceProperties } from './contract';
import { isCertificateAuthorityArn } from '../../validation/arn-patterns';
import { shortDigest } from '../shared/digest';
import { describeCfnEvent } from '../shared/event-log';
import { pemBlock } from '../shared/pem';

/**
 * Pure logic of the `Custom::CdkPkiCaBundle` handler: what to do for a CloudFormation event, and how the
 * PEM bundle is built from what GetCertificateAuthorityCertificate returns.
 *
 * The bundle holds the CA's own certificate first, then its chain as Private CA returns it (the CA's issuer
 * first, the root last): the order of a TLS certificate chain (RFC 8446 4.4.2). ELB and CloudFront trust stores
 * read the bundle as a set of CA certificates, each a trust anchor, so the order does not change what they
 * accept; this one also suits `openssl verify -CAfile`.
 *
 * The key is content-addressed (`<prefix><CA id>-<16 hex digits of the bundle's SHA-256>.pem`): a renewed or
 * replaced CA certificate gives a new key, so the trust store that names the key is updated by CloudFormation.
 * A Delete leaves the object: during a replacement the trust store may still point at it, and it holds only
 * public certificates.
 */

/** Private CA and S3 errors worth retrying besides the transient ones. */
export const RETRYABLE_ERRORS: readonly string[] = ['RequestInProgressException'];

/** What the handler does for one event. */
export type CaBundlePlan =
  | { readonly action: 'publish'; readonly properties: CaBundleResourceProperties }
  | { readonly action: 'none'; readonly reason: string };

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
// What S3 and ELB accept without surprises: letters, digits and a few marks, ending with a slash.
const KEY_PREFIX = /^[A-Za-z0-9!_.*'()/-]{1,200}\/$/;

/** Reads and checks the resource properties of a Create or Update event. */
export function readProperties(props: Record<string, unknown> | undefined): CaBundleResourceProperties {
  const arn = props?.CertificateAuthorityArn;
  const bucket = props?.BucketName;
  const prefix = props?.KeyPrefix;
  const owner = props?.BucketOwner;
  if (!isCertificateAuthorityArn(arn)) {
    throw new Error(`CertificateAuthorityArn ${JSON.stringify(arn)} is not a Private CA ARN ` +
      '(arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<id>)');
  }
  if (typeof bucket !== 'string' || bucket.length === 0) {
    throw new Error(`BucketName ${JSON.stringify(bucket)} is missing: the resource needs the name of the bucket to write the bundle to`);
  }
  if (typeof prefix !== 'string' || !KEY_PREFIX.test(prefix)) {
    throw new Error(`KeyPrefix ${JSON.stringify(prefix)} is not a key prefix of letters, digits and !_.*'()/- ending with "/"`);
  }
  if (owner !== undefined && (typeof owner !== 'string' || !/^\d{12}$/.test(owner))) {
    throw new Error(`BucketOwner ${JSON.stringify(owner)} is not a 12-digit account ID`);
  }
  return { CertificateAuthorityArn: arn, BucketName: bucket, KeyPrefix: prefix, BucketOwner: owner };
}

/** Create and Update publish the bundle; Delete leaves it (see the module comment). */
export function planCaBundle(event: CloudFormationCustomResourceEvent): CaBundlePlan {
  switch (event.RequestType) {
    case 'Create':
    case 'Update':
      return { action: 'publish', properties: readProperties(event.ResourceProperties) };
    case 'Delete':
      return { action: 'none', reason: 'the bundle stays in the bucket: a trust store may still read it during a replacement' };
    default:
      throw new Error(`unknown RequestType ${JSON.stringify((event as { RequestType?: unknown }).RequestType)}`);
  }
}

/**
 * The certificates of a PEM text, each re-encoded in the canonical form (64 characters a line, `\n` line
 * ends), in their order. Text around the blocks is ignored; a block that is not base64 or not an X.509
 * certificate is an error naming its position.
 */
export function splitPemCertificates(text: string, what: string): string[] {
  const blocks: string[] = [];
  for (const match of text.matchAll(PEM_CERTIFICATE)) {
    const body = match[1].replace(/\s+/g, '');
    const position = `${what}, certificate ${blocks.length + 1}`;
    if (!BASE64.test(body)) {
      throw new Error(`${position} is not base64 between its PEM lines`);
    }
    const pem = pemBlock('CERTIFICATE', body);
    try {
      new X509Certificate(pem);
    } catch (err) {
      throw new Error(`${position} is not an X.509 certificate: ${err instanceof Error ? err.message : String(err)}`);
    }
    blocks.push(pem);
  }
  return blocks;
}

/** A built bundle. */
export interface CaBundle {
  /** The PEM text: the CA's certificate, then its chain up to the root. */
  readonly pem: string;
  /** How many certificates it holds. */
  readonly count: number;
  /** The SHA-256 of `pem`, hex. */
  readonly sha256: string;
}

/**
 * Builds the bundle from GetCertificateAuthorityCertificate's answer: the CA's certificate (exactly one), then
 * the certificates of its chain (none for a root), each once.
 */
export function buildCaBundle(certificateAuthorityArn: string, certificate: string | undefined, chain: string | undefined): CaBundle {
  const own = splitPemCertificates(certificate ?? '', `the certificate of ${certificateAuthorityArn}`);
  if (own.length !== 1) {
    throw new Error(`GetCertificateAuthorityCertificate returned ${own.length} certificates for ${certificateAuthorityArn} ` +
      'where one was expected: the CA has no usable certificate (is it activated?)');
  }
  const all = [...own, ...splitPemCertificates(chain ?? '', `the certificate chain of ${certificateAuthorityArn}`)];
  const unique = all.filter((pem, i) => all.indexOf(pem) === i);
  const pem = unique.join('');
  return { pem, count: unique.length, sha256: shortDigest(pem, 64) };
}

/** The ID of the CA in its ARN (the last path segment). */
export function caIdOf(certificateAuthorityArn: string): string {
  return certificateAuthorityArn.slice(certificateAuthorityArn.lastIndexOf('/') + 1);
}

/** The content-addressed key of a bundle: `<prefix><CA id>-<16 hex digits of its SHA-256>.pem`. */
export function bundleKey(prefix: string, certificateAuthorityArn: string, bundle: CaBundle): string {
  return `${prefix}${caIdOf(certificateAuthorityArn)}-${bundle.sha256.slice(0, 16)}.pem`;
}

/** The physical ID of a published bundle: its S3 URI. */
export function physicalIdOf(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/**
 * The message for a CA that has no certificate to read (GetCertificateAuthorityCertificate's
 * InvalidStateException): it is not activated yet.
 */
export function notActiveMessage(certificateAuthorityArn: string, cause: string): string {
  return `the CA ${certificateAuthorityArn} has no certificate to publish yet (${cause}): a CA is readable once it is ACTIVE. ` +
    'For a CA of this library that is created in the same app, the bundle waits for its activation; for a subordinate CA ' +
    'with an external parent, import its signed certificate first, then deploy the trust store.';
}

/** What is safe to log about an event: never the ResponseURL or the whole event. */
export function describeEvent(event: CloudFormationCustomResourceEvent): Record<string, unknown> {
  return { ...describeCfnEvent(event), bucketName: event.ResourceProperties?.BucketName };
}
