import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { MaterialSource } from '../handlers/imported-certificate/contract';
import { toWireBoolean } from '../handlers/shared/wire';
import { quoteValue } from '../validation/errors';

/** The JSON field names of a secret holding certificate material. */
export interface SecretFieldNames {
  /**
   * The field holding the end-entity certificate (PEM).
   *
   * @default 'certificate'
   */
  readonly certificate?: string;

  /**
   * The field holding the unencrypted private key (PEM).
   *
   * @default 'privateKey'
   */
  readonly privateKey?: string;

  /**
   * The field holding the chain (PEM: intermediates first, root last). When you name it, the field
   * must exist; the default field may be missing or empty (a self-signed certificate).
   *
   * @default 'certificateChain', optional
   */
  readonly chain?: string;
}

/** SecureString parameters holding certificate material, one PEM each. */
export interface SsmCertificateParameters {
  /** The parameter holding the end-entity certificate (PEM). */
  readonly certificate: ssm.IParameter;
  /** The SecureString parameter holding the unencrypted private key (PEM). */
  readonly privateKey: ssm.IParameter;
  /**
   * The parameter holding the chain (PEM: intermediates first, root last).
   *
   * @default - no chain (a self-signed certificate)
   */
  readonly chain?: ssm.IParameter;
}

/**
 * Where an `ImportedCertificate` reads its PEM material: a Secrets Manager secret holding a JSON
 * object, or SSM SecureString parameters.
 *
 * The template only names the secret or the parameters; the PEM never appears in it. For SecureString
 * parameters under a customer managed key, import them with
 * `ssm.StringParameter.fromSecureStringParameterAttributes(..., { encryptionKey })` so the handler may decrypt.
 */
export class CertificateMaterial {
  /**
   * Material in a Secrets Manager secret whose value is a JSON object such as
   * `{"certificate": "-----BEGIN CERTIFICATE-----...", "privateKey": "...", "certificateChain": "..."}`.
   *
   * The handler reads the secret's current version (`AWSCURRENT`) and records its VersionId on the
   * certificate (tag `cdk-pki:imported-version`), so a new version is reimported. If the secret has a
   * customer managed key, the handler gets `kms:Decrypt` on it (through Secrets Manager only).
   *
   * @param secret the secret
   * @param fields the JSON field names, when not the defaults
   */
  public static fromSecret(secret: secretsmanager.ISecret, fields: SecretFieldNames = {}): CertificateMaterial {
    return new CertificateMaterial(secret, undefined, fields);
  }

  /**
   * Material in SSM parameters (SecureString for the private key), one PEM per parameter.
   *
   * The handler reads the latest versions and records them on the certificate, so a new version of
   * any parameter is reimported.
   */
  public static fromSsmParameters(parameters: SsmCertificateParameters): CertificateMaterial {
    return new CertificateMaterial(undefined, parameters, {});
  }

  /** The secret, for material kept in Secrets Manager. */
  public readonly secret?: secretsmanager.ISecret;

  /** The parameters, for material kept in SSM. */
  public readonly parameters?: SsmCertificateParameters;

  private readonly fields: SecretFieldNames;

  private constructor(secret: secretsmanager.ISecret | undefined, parameters: SsmCertificateParameters | undefined, fields: SecretFieldNames) {
    this.secret = secret;
    this.parameters = parameters;
    this.fields = fields;
  }

  /**
   * Problems with the material's configuration (field names), for the construct to report.
   *
   * @internal
   */
  public _validate(): string[] {
    const problems: string[] = [];
    const names: Array<[string, string | undefined]> = [
      ['certificate', this.fields.certificate],
      ['privateKey', this.fields.privateKey],
      ['chain', this.fields.chain],
    ];
    for (const [what, name] of names) {
      if (name !== undefined && !Token.isUnresolved(name) && name.trim() === '') {
        problems.push(`the secret field name for ${what} is empty: give the JSON field that holds it, or leave it out for the default.`);
      }
    }
    const fields = this._fieldNames();
    const given = [fields.certificate, fields.privateKey, fields.chain].filter((n) => !Token.isUnresolved(n));
    const duplicates = [...new Set(given.filter((n, i) => given.indexOf(n) !== i))];
    if (duplicates.length > 0) {
      problems.push(`the secret field names ${duplicates.map((d) => quoteValue(d)).join(', ')} are used for more than one part: ` +
        'the certificate, the private key and the chain need a field each.');
    }
    if (this.parameters) {
      const p = this.parameters;
      const params = [p.certificate, p.privateKey, ...(p.chain ? [p.chain] : [])];
      if (new Set(params).size !== params.length) {
        problems.push('the same SSM parameter is given for more than one part: the certificate, the private key and the chain need a parameter each.');
      }
    }
    return problems;
  }

  /** @internal */
  public _fieldNames(): { certificate: string; privateKey: string; chain: string; chainRequired: boolean } {
    return {
      certificate: this.fields.certificate ?? 'certificate',
      privateKey: this.fields.privateKey ?? 'privateKey',
      chain: this.fields.chain ?? 'certificateChain',
      chainRequired: this.fields.chain !== undefined,
    };
  }

  /**
   * The `Source` property of the custom resource (names and ARNs only), after granting the handler read access.
   *
   * @internal
   */
  public _bind(grantee: iam.IGrantable): MaterialSource {
    if (this.secret) {
      this.secret.grantRead(grantee);
      const f = this._fieldNames();
      return {
        Type: 'SecretsManager',
        SecretArn: this.secret.secretFullArn ?? this.secret.secretArn,
        CertificateField: f.certificate,
        PrivateKeyField: f.privateKey,
        ChainField: f.chain,
        ChainRequired: toWireBoolean(f.chainRequired),
      };
    }
    const p = this.parameters!;
    for (const param of [p.certificate, p.privateKey, ...(p.chain ? [p.chain] : [])]) {
      param.grantRead(grantee);
    }
    return {
      Type: 'SSM',
      CertificateParameter: p.certificate.parameterName,
      PrivateKeyParameter: p.privateKey.parameterName,
      ...(p.chain ? { ChainParameter: p.chain.parameterName } : {}),
    };
  }
}
