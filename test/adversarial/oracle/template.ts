import { CfnTemplate, Finding } from '../harness';
import { checkCertificateNames, isSameOrSuperdomain } from './dns';
import { algorithmFindings, bucketNameFindings, cnameFindings, crlDaysFindings, familyOf, subjectFindings } from './pca';
import { checkTagList } from './tags';

/*
 * Template-level oracles: what the documented rules say about the synthesized resources themselves, whatever the
 * construct did with its props. Only `must` findings count here.
 */

const DAY = 86_400_000;

/** The resources of a type, as [logicalId, properties]. */
export function resourcesOf(template: CfnTemplate, type: string): Array<[string, any]> {
  return Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === type).map(([id, r]) => [id, r.Properties ?? {}]);
}

const mustOnly = (where: string, findings: Finding[]): string[] =>
  findings.filter((f) => f.severity === 'must').map((f) => `${where}: ${f.rule}: ${JSON.stringify(f.value)}`);

/** The logical ID a `Ref` or `Fn::GetAtt` points at. */
function target(value: any): string | undefined {
  if (value?.Ref) return value.Ref;
  if (Array.isArray(value?.['Fn::GetAtt'])) return value['Fn::GetAtt'][0];
  return undefined;
}

/** ACM certificates (public or private): names, key algorithm, validation options, tags. */
export function checkAcmCertificates(template: CfnTemplate, opts: { maxNames: number; isPublic: boolean }): string[] {
  const problems: string[] = [];
  for (const [id, p] of resourcesOf(template, 'AWS::CertificateManager::Certificate')) {
    const where = `AWS::CertificateManager::Certificate ${id}`;
    problems.push(...checkCertificateNames(p, opts.maxNames, opts.isPublic).map((m) => `${where}: ${m}`));
    // Absent is ACM's default, RSA_2048 (left out as aws-cdk-lib does: issue 14 (1)).
    if (p.KeyAlgorithm !== undefined && !['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'].includes(p.KeyAlgorithm)) {
      problems.push(`${where}: KeyAlgorithm ${JSON.stringify(p.KeyAlgorithm)} cannot be requested (RSA_2048, EC_prime256v1, EC_secp384r1)`);
    }
    if (opts.isPublic && !['DNS', 'EMAIL'].includes(p.ValidationMethod)) problems.push(`${where}: ValidationMethod ${JSON.stringify(p.ValidationMethod)}`);
    if (!opts.isPublic && p.CertificateAuthorityArn === undefined) problems.push(`${where}: a private certificate without CertificateAuthorityArn`);
    const names = [p.DomainName, ...(p.SubjectAlternativeNames ?? [])].map((n: string) => n.toLowerCase());
    const dvo: any[] | undefined = p.DomainValidationOptions;
    if (dvo !== undefined && (dvo.length < 1 || dvo.length > 100)) problems.push(`${where}: ${dvo.length} DomainValidationOptions (SAN-5: 1-100)`);
    for (const o of dvo ?? []) {
      if (!names.includes(String(o.DomainName).toLowerCase())) problems.push(`${where}: validation option for ${JSON.stringify(o.DomainName)}, not a name of the certificate`);
      if (o.ValidationDomain !== undefined && !isSameOrSuperdomain(o.DomainName, o.ValidationDomain)) {
        problems.push(`${where}: ValidationDomain ${JSON.stringify(o.ValidationDomain)} is not ${JSON.stringify(o.DomainName)} or a superdomain`);
      }
    }
    problems.push(...checkTagList(p.Tags).map((m) => `${where}: ${m}`));
  }
  return problems;
}

/** The CloudFormation `BucketName` of an `AWS::S3::Bucket`, when the template sets a literal one. */
function bucketName(template: CfnTemplate, ref: any): string | undefined {
  const id = target(ref);
  const name = id ? template.Resources?.[id]?.Properties?.BucketName : undefined;
  return typeof name === 'string' ? name : typeof ref === 'string' ? ref : undefined;
}

/** Private CAs: type, algorithms, subject, revocation, tags. */
export function checkCertificateAuthorities(template: CfnTemplate): string[] {
  const problems: string[] = [];
  for (const [id, p] of resourcesOf(template, 'AWS::ACMPCA::CertificateAuthority')) {
    const where = `AWS::ACMPCA::CertificateAuthority ${id}`;
    if (!['ROOT', 'SUBORDINATE'].includes(p.Type)) problems.push(`${where}: CA-01 Type ${JSON.stringify(p.Type)}`);
    problems.push(...mustOnly(where, algorithmFindings(String(p.KeyAlgorithm ?? ''), String(p.SigningAlgorithm ?? ''))));
    problems.push(...mustOnly(where, subjectFindings(p.Subject)));
    if (p.KeyStorageSecurityStandard !== undefined && !['FIPS_140_2_LEVEL_2_OR_HIGHER', 'FIPS_140_2_LEVEL_3_OR_HIGHER'].includes(p.KeyStorageSecurityStandard)) {
      problems.push(`${where}: CA-06 KeyStorageSecurityStandard ${JSON.stringify(p.KeyStorageSecurityStandard)}`);
    }
    if (p.UsageMode !== undefined && !['GENERAL_PURPOSE', 'SHORT_LIVED_CERTIFICATE'].includes(p.UsageMode)) problems.push(`${where}: CA-08 UsageMode ${p.UsageMode}`);
    const crl = p.RevocationConfiguration?.CrlConfiguration;
    if (crl) {
      if (crl.Enabled !== true) {
        if (Object.keys(crl).some((k) => k !== 'Enabled')) problems.push(`${where}: RV-01 a disabled CRL configuration with more than Enabled`);
      } else {
        if (crl.S3BucketName === undefined) problems.push(`${where}: RV-10 CRL enabled without S3BucketName`);
        problems.push(...mustOnly(where, crlDaysFindings(crl.ExpirationInDays ?? undefined)));
        if (crl.ExpirationInDays === null) problems.push(`${where}: RV-02 ExpirationInDays is null`);
        if (typeof crl.CustomCname === 'string') problems.push(...mustOnly(where, cnameFindings(crl.CustomCname)));
        if (crl.CustomCname !== undefined && crl.CrlDistributionPointExtensionConfiguration?.OmitExtension === true) {
          problems.push(`${where}: RV-08 OmitExtension with a CustomCname`);
        }
        if (crl.S3ObjectAcl !== undefined && !['PUBLIC_READ', 'BUCKET_OWNER_FULL_CONTROL'].includes(crl.S3ObjectAcl)) problems.push(`${where}: RV-05 S3ObjectAcl ${crl.S3ObjectAcl}`);
        const bucket = bucketName(template, crl.S3BucketName);
        if (bucket !== undefined) problems.push(...mustOnly(where, bucketNameFindings(bucket)));
        const bucketId = target(crl.S3BucketName);
        const bpa = bucketId ? template.Resources?.[bucketId]?.Properties?.PublicAccessBlockConfiguration : undefined;
        if (bpa?.BlockPublicAcls && crl.S3ObjectAcl !== 'BUCKET_OWNER_FULL_CONTROL') problems.push(`${where}: RV-06 Block Public Access needs BUCKET_OWNER_FULL_CONTROL`);
      }
    }
    const ocsp = p.RevocationConfiguration?.OcspConfiguration;
    if (ocsp) {
      if (ocsp.Enabled !== true && Object.keys(ocsp).some((k) => k !== 'Enabled')) problems.push(`${where}: RV-01 a disabled OCSP configuration with more than Enabled`);
      if (typeof ocsp.OcspCustomCname === 'string') problems.push(...mustOnly(where, cnameFindings(ocsp.OcspCustomCname)));
    }
    problems.push(...checkTagList(p.Tags).map((m) => `${where}: ${m}`));
  }
  return problems;
}

/** The end of a certificate's `Validity` in ms, or a problem. */
function validityEnd(v: any, now: number): number | string {
  if (v?.Type === 'DAYS') {
    return Number.isInteger(v.Value) && v.Value >= 1 ? now + v.Value * DAY : `IS-02 DAYS value ${JSON.stringify(v.Value)}`;
  }
  if (v?.Type === 'END_DATE') {
    const s = String(v.Value);
    const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s);
    if (!m) return `IS-03 END_DATE value ${JSON.stringify(v.Value)} is not YYYYMMDDHHMMSS`;
    const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
    return ms > now ? ms : `IS-06 END_DATE ${s} is in the past`;
  }
  return `IS-02 Validity type ${JSON.stringify(v?.Type)}`;
}

/**
 * CA certificates: validity, the signing algorithm of the issuer's family (IS-01), each child ending before its parent
 * (IS-08), path lengths shrinking down the hierarchy (HI-03).
 */
export function checkCaCertificates(template: CfnTemplate, now: number): string[] {
  const problems: string[] = [];
  const resources = template.Resources ?? {};
  // activation logical ID -> CA logical ID, so a `Ref` to an activation (the CA ARN) names its CA.
  const caOf = (ref: any): string | undefined => {
    const id = target(ref);
    const r = id ? resources[id] : undefined;
    if (r?.Type === 'AWS::ACMPCA::CertificateAuthorityActivation') return target(r.Properties?.CertificateAuthorityArn);
    return r?.Type === 'AWS::ACMPCA::CertificateAuthority' ? id : undefined;
  };
  const certs = resourcesOf(template, 'AWS::ACMPCA::Certificate').map(([id, p]) => ({
    id,
    p,
    issuer: caOf(p.CertificateAuthorityArn),
    subject: target(p.CertificateSigningRequest),
    end: validityEnd(p.Validity, now),
    pathLen: (/PathLen(\d)/.exec(JSON.stringify(p.TemplateArn)) ?? [])[1],
  }));
  const certOfCa = new Map(certs.map((c) => [c.subject, c]));
  for (const c of certs) {
    const where = `AWS::ACMPCA::Certificate ${c.id}`;
    if (typeof c.end === 'string') problems.push(`${where}: ${c.end}`);
    const issuerKey = c.issuer ? resources[c.issuer]?.Properties?.KeyAlgorithm : undefined;
    if (issuerKey && familyOf(issuerKey) && familyOf(c.p.SigningAlgorithm) && familyOf(c.p.SigningAlgorithm) !== familyOf(issuerKey)) {
      problems.push(`${where}: IS-01 SigningAlgorithm ${c.p.SigningAlgorithm} is not of the issuer's key family (${issuerKey})`);
    }
    if (!c.issuer || c.issuer === c.subject) continue;
    const parent = certOfCa.get(c.issuer);
    if (!parent) continue;
    if (typeof c.end === 'number' && typeof parent.end === 'number') {
      const bothDays = c.p.Validity.Type === 'DAYS' && parent.p.Validity.Type === 'DAYS';
      if (bothDays ? c.p.Validity.Value >= parent.p.Validity.Value : c.end >= parent.end + DAY) {
        problems.push(`${where}: IS-08 ends after its issuer's certificate ${parent.id} (${JSON.stringify(c.p.Validity)} vs ${JSON.stringify(parent.p.Validity)})`);
      }
    }
    if (parent.pathLen !== undefined && c.pathLen !== undefined && Number(c.pathLen) > Number(parent.pathLen) - 1) {
      problems.push(`${where}: HI-03 PathLen${c.pathLen} below a PathLen${parent.pathLen} parent`);
    }
  }
  return problems;
}

/** S3 buckets with literal names follow RV-04. */
export function checkBucketNames(template: CfnTemplate): string[] {
  return resourcesOf(template, 'AWS::S3::Bucket').flatMap(([id, p]) =>
    typeof p.BucketName === 'string' ? mustOnly(`AWS::S3::Bucket ${id}`, bucketNameFindings(p.BucketName)) : []);
}
