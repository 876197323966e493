import { CfnDynamicReference, CfnDynamicReferenceService, Token } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { quoteValue } from '../validation/errors';
import { ExternalCaInspection, inspectExternalCaMaterial } from '../validation/external-ca-certificate';

/** The signed certificate of a subordinate CA and its chain, as PEM text. */
export interface CaExternalPemOptions {
  /** The CA certificate the external CA signed from this CA's CSR, PEM (one `CERTIFICATE` block). */
  readonly certificate: string;

  /**
   * The chain of the certificate, PEM: its issuer first, then each CA above it, the root last. It must not contain
   * the certificate itself.
   */
  readonly chain: string;

  /**
   * The CSR the CA published in the first deployment (its stack output), PEM. When given, the synth-time checks also
   * make sure the certificate carries the CSR's public key.
   *
   * @default - the public key is not checked at synth time; Private CA refuses a certificate that does not match its key at activation
   */
  readonly csr?: string;
}

/** SSM String parameters holding the signed certificate and its chain. */
export interface CaExternalSsmParameters {
  /**
   * The name of the String parameter holding the CA certificate, PEM, in the stack's account and region (a dynamic
   * reference cannot read a parameter shared from another account). A certificate fits a standard parameter (4 KB).
   */
  readonly certificateParameterName: string;

  /**
   * The name of the String parameter holding the chain, PEM, issuer first, root last. A chain longer than
   * 4,096 characters needs an advanced parameter (8 KB), or a secret (`CaExternalParent.fromSecret`, 64 KB).
   */
  readonly chainParameterName: string;

  /**
   * The version of the certificate parameter to use. A new version in the template makes CloudFormation import it
   * again; without one, CloudFormation reads the latest version, but only when something else in the stack changes.
   *
   * @default - the latest version
   */
  readonly certificateParameterVersion?: number;

  /**
   * The version of the chain parameter to use.
   *
   * @default - the latest version
   */
  readonly chainParameterVersion?: number;
}

/** The JSON fields of a secret holding the signed certificate and its chain. */
export interface CaExternalSecretFields {
  /**
   * The field holding the CA certificate, PEM.
   *
   * @default 'certificate'
   */
  readonly certificateField?: string;

  /**
   * The field holding the chain, PEM, issuer first, root last.
   *
   * @default 'certificateChain'
   */
  readonly chainField?: string;
}

/**
 * The external (offline or on-premises) CA that signs a `SubordinateCa`, in two deployments:
 *
 * 1. `CaExternalParent.awaitingSignature()`: the CA is created and waits (`PENDING_CERTIFICATE`); its CSR is a stack
 *    output, whose description gives the `openssl` command line that signs it as a CA certificate.
 * 2. `fromPem`, `fromSsmParameters` or `fromSecret`: the signed certificate and its chain activate the CA.
 *
 * PEM given at synth time is checked before anything deploys: a CA certificate (basicConstraints critical CA:TRUE,
 * keyUsage keyCertSign), issued by the chain's first certificate, each chain certificate by the next, ending at a
 * self-signed root, every validity inside its issuer's and current, path lengths that leave room for the CAs below;
 * with the CSR, the same public key. Material read from SSM or Secrets Manager is resolved by CloudFormation during
 * the deployment (dynamic references), so none of it is checked at synth time: Private CA checks it at activation.
 *
 * @example
 * import { CaExternalParent } from 'cdk-pki';
 *
 * // First deployment: the CA waits for its certificate; its CSR is a stack output.
 * const issuing = new SubordinateCa(this, 'Issuing', {
 *   subject: { commonName: 'Example Corp Issuing CA' },
 *   externalParent: CaExternalParent.awaitingSignature(),
 * });
 */
export class CaExternalParent {
  /**
   * The first deployment: the CA is created and stays `PENDING_CERTIFICATE`; its CSR is a stack output. Nothing can
   * issue from it yet: CAs and certificates of this library below it are refused until the second deployment.
   */
  public static awaitingSignature(): CaExternalParent {
    return new CaExternalParent(undefined);
  }

  /**
   * The signed certificate and chain as PEM text (for example read from files by your CDK app). Checked at synth time.
   */
  public static fromPem(options: CaExternalPemOptions): CaExternalParent {
    return new CaExternalParent({ certificate: options.certificate, chain: options.chain, csr: options.csr });
  }

  /**
   * The signed certificate and chain in SSM String parameters, read by CloudFormation during the deployment
   * (`{{resolve:ssm:...}}`; SecureString parameters cannot be read this way). Not checked at synth time.
   */
  public static fromSsmParameters(parameters: CaExternalSsmParameters): CaExternalParent {
    const ref = (name: string, version: number | undefined) =>
      new CfnDynamicReference(CfnDynamicReferenceService.SSM, version === undefined ? name : `${name}:${version}`).toString();
    const problems = [
      ...ssmNameProblems('certificateParameterName', parameters.certificateParameterName),
      ...ssmNameProblems('chainParameterName', parameters.chainParameterName),
      ...versionProblems('certificateParameterVersion', parameters.certificateParameterVersion),
      ...versionProblems('chainParameterVersion', parameters.chainParameterVersion),
    ];
    if (parameters.certificateParameterName === parameters.chainParameterName && !Token.isUnresolved(parameters.chainParameterName)) {
      problems.push(`certificateParameterName and chainParameterName are both ${quoteValue(parameters.chainParameterName)}: ` +
        'the certificate and the chain need a parameter each');
    }
    return new CaExternalParent({
      certificate: ref(parameters.certificateParameterName, parameters.certificateParameterVersion),
      chain: ref(parameters.chainParameterName, parameters.chainParameterVersion),
    }, problems);
  }

  /**
   * The signed certificate and chain in the JSON fields of a Secrets Manager secret, such as
   * `{"certificate": "-----BEGIN CERTIFICATE-----...", "certificateChain": "..."}`, read by CloudFormation during
   * the deployment (`{{resolve:secretsmanager:...}}`; up to 64 KB). Not checked at synth time.
   *
   * @param secret the secret
   * @param fields the JSON field names, when not the defaults
   */
  public static fromSecret(secret: secretsmanager.ISecret, fields: CaExternalSecretFields = {}): CaExternalParent {
    const certificateField = fields.certificateField ?? 'certificate';
    const chainField = fields.chainField ?? 'certificateChain';
    const problems: string[] = [];
    for (const [what, name] of [['certificateField', certificateField], ['chainField', chainField]]) {
      if (!Token.isUnresolved(name) && name.trim() === '') problems.push(`${what} is empty: give the JSON field that holds it, or leave it out for the default`);
    }
    if (certificateField === chainField && !Token.isUnresolved(chainField)) {
      problems.push(`certificateField and chainField are both ${quoteValue(chainField)}: the certificate and the chain need a field each`);
    }
    return new CaExternalParent({
      certificate: secret.secretValueFromJson(certificateField).unsafeUnwrap(),
      chain: secret.secretValueFromJson(chainField).unsafeUnwrap(),
    }, problems);
  }

  private inspection?: ExternalCaInspection;

  private constructor(
    private readonly material: { certificate: string; chain: string; csr?: string } | undefined,
    private readonly problems: string[] = [],
  ) {}

  /**
   * True in the first deployment: no certificate yet.
   *
   * @internal
   */
  public get _awaiting(): boolean {
    return this.material === undefined;
  }

  /**
   * The `Certificate` and `CertificateChain` of the activation (PEM, or dynamic references), in the second deployment.
   *
   * @internal
   */
  public _activation(): { certificate: string; chain: string } | undefined {
    return this.material && { certificate: this.material.certificate, chain: this.material.chain };
  }

  /**
   * The problems of the options, and those of the PEM when it is known at synth time (src/validation/external-ca-certificate.ts).
   *
   * @internal
   */
  public _inspect(now: number): ExternalCaInspection {
    if (this.material === undefined) return { problems: [] };
    if (this.problems.length > 0) return { problems: [...this.problems] };
    // Parsed once: the CA asks before and after its base constructor.
    const m = this.material;
    this.inspection ??= inspectExternalCaMaterial({ certificatePem: m.certificate, chainPem: m.chain, csrPem: m.csr }, now);
    return this.inspection;
  }
}

/**
 * The description of the CSR output: how to sign the CSR offline with openssl (the extensions a Private CA
 * subordinate needs) and what to deploy next. Cut to the 1,024 bytes CloudFormation allows.
 *
 * @internal
 */
export function externalSigningHint(path: string, pathLength: number): string {
  const text = `CSR of the subordinate CA ${path}. Save it as ca.csr and sign it with your offline CA: ` +
    `printf '[v3_ca]\\nbasicConstraints=critical,CA:TRUE,pathlen:${pathLength}\\nkeyUsage=critical,keyCertSign,cRLSign\\n` +
    'subjectKeyIdentifier=hash\\nauthorityKeyIdentifier=keyid:always\\n\' > ext.cnf && ' +
    'openssl x509 -req -in ca.csr -CA root.pem -CAkey root.key -CAcreateserial -days 1825 -sha256 -extfile ext.cnf -extensions v3_ca -out ca.pem ' +
    '(-days must end before the signing CA\'s certificate). Then deploy again with externalParent: CaExternalParent.fromPem({ certificate, chain }) ' +
    '(chain: the signing CA first, root last), fromSsmParameters(...) or fromSecret(...).';
  return text.length <= 1024 ? text : text.slice(0, 1021) + '...';
}

/**
 * A concrete parameter name: letters, digits, `_.-/` (a path starts with `/`), no version suffix. Not an ARN: a
 * parameter shared from another account cannot be read by a dynamic reference.
 */
function ssmNameProblems(what: string, name: string): string[] {
  if (Token.isUnresolved(name)) return [];
  if (name.startsWith('arn:')) {
    return [`${what} ${quoteValue(name)} is an ARN: CloudFormation's {{resolve:ssm:...}} reads parameters of this account and region only, by name. ` +
      'Copy the PEM into a parameter here, or read it in your app and use CaExternalParent.fromPem'];
  }
  if (/^[a-zA-Z0-9_.\-/]{1,2048}$/.test(name) && (!name.includes('/') || name.startsWith('/'))) return [];
  return [`${what} ${quoteValue(name)} is not an SSM parameter name: use letters, digits and _ . - /, start a path with "/" ` +
    '(e.g. "/pki/issuing-ca/certificate"); give a version with the *ParameterVersion options, not ":N"'];
}

function versionProblems(what: string, version: number | undefined): string[] {
  if (version === undefined || Token.isUnresolved(version) || (Number.isInteger(version) && version >= 1)) return [];
  return [`${what} ${quoteValue(version)} is not a parameter version: give a whole number of at least 1, or leave it out for the latest`];
}
