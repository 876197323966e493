import { Annotations, Aws } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { isKnownTemplateName, parseTemplate } from '../validation/ca-policy';

/**
 * A Private CA certificate template: what kind of certificate `IssueCertificate` produces.
 *
 * @see https://docs.aws.amazon.com/privateca/latest/userguide/UsingTemplates.html
 */
export class CertificateTemplate {
  /** End-entity certificate for servers and clients (serverAuth + clientAuth): the service default. */
  public static readonly END_ENTITY = new CertificateTemplate('EndEntityCertificate/V1');
  /** End-entity certificate for TLS clients only. */
  public static readonly END_ENTITY_CLIENT_AUTH = new CertificateTemplate('EndEntityClientAuthCertificate/V1');
  /** End-entity certificate for TLS servers only. */
  public static readonly END_ENTITY_SERVER_AUTH = new CertificateTemplate('EndEntityServerAuthCertificate/V1');
  /** Code-signing certificate. */
  public static readonly CODE_SIGNING = new CertificateTemplate('CodeSigningCertificate/V1');
  /** OCSP-signing certificate. */
  public static readonly OCSP_SIGNING = new CertificateTemplate('OCSPSigningCertificate/V1');
  /** Self-signed root CA certificate (no path length limit). */
  public static readonly ROOT_CA = new CertificateTemplate('RootCACertificate/V1');

  /**
   * Subordinate CA certificate with a path length: how many CA levels may still follow below it.
   *
   * @param pathLength 0 to 3
   */
  public static subordinateCa(pathLength: number): CertificateTemplate {
    return new CertificateTemplate(`SubordinateCACertificate_PathLen${pathLength}/V1`);
  }

  /**
   * The end-entity templates `grantIssueCertificate` allows when given none: `EndEntityCertificate/V1`,
   * `EndEntityClientAuthCertificate/V1` and `EndEntityServerAuthCertificate/V1`. Each issues a certificate
   * with `CA:FALSE` and fixed key usages. Their passthrough variants (`_CSRPassthrough`, `_APIPassthrough`,
   * `_APICSRPassthrough`) let the requester add extensions and the CA templates let it mint a CA, so those
   * are left for the caller to name.
   */
  public static endEntityTemplates(): CertificateTemplate[] {
    return [CertificateTemplate.END_ENTITY, CertificateTemplate.END_ENTITY_CLIENT_AUTH, CertificateTemplate.END_ENTITY_SERVER_AUTH];
  }

  /**
   * A template by name and version, for templates this class does not list (an escape hatch).
   *
   * @param nameAndVersion e.g. `BlankEndEntityCertificate_APIPassthrough/V1`
   */
  public static of(nameAndVersion: string): CertificateTemplate {
    return new CertificateTemplate(nameAndVersion);
  }

  private constructor(
    /** The template's name and version, e.g. `EndEntityCertificate/V1`. */
    public readonly nameAndVersion: string,
  ) {}

  /** The template ARN in the stack's partition (templates have no region or account). */
  public get templateArn(): string {
    return `arn:${Aws.PARTITION}:acm-pca:::template/${this.nameAndVersion}`;
  }
}

/**
 * The template ARNs of `templates` (default: end-entity) in `partition`, without repeats, and the problems of the
 * malformed ones; a template this library does not know gets a warning on `scope`. Internal.
 */
export function templateArnsOf(scope: IConstruct, templates: readonly CertificateTemplate[] | undefined, partition: string):
{ readonly arns: string[]; readonly problems: string[] } {
  const arns: string[] = [];
  const problems: string[] = [];
  for (const template of templates ?? [CertificateTemplate.END_ENTITY]) {
    const parsed = parseTemplate(template.nameAndVersion, partition);
    if (typeof parsed === 'string') {
      problems.push(parsed);
      continue;
    }
    if (parsed.name !== undefined && !isKnownTemplateName(parsed.name)) {
      Annotations.of(scope).addWarningV2('cdk-pki:unknown-certificate-template',
        `Template ${template.nameAndVersion} is not a Private CA template this library knows: check the spelling, ` +
        'or IssueCertificate will match no request.');
    }
    if (!arns.includes(parsed.arn)) arns.push(parsed.arn);
  }
  return { arns, problems };
}
