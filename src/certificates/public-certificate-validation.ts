import * as route53 from 'aws-cdk-lib/aws-route53';

/** How ACM validates domain ownership. */
export enum ValidationMethod {
  /** A CNAME record per name; renewals are automatic while the record stays. */
  DNS = 'DNS',
  /** An email per name to the domain's admin addresses; every renewal needs a click. */
  EMAIL = 'EMAIL',
}

/**
 * How a `PublicCertificate` proves ownership of its names.
 *
 * DNS validation is recommended: with Route 53 zones of this account CloudFormation creates the
 * records, and ACM renews the certificate on its own for as long as they stay.
 */
export class PublicCertificateValidation {
  /**
   * DNS validation with the records created in one Route 53 public hosted zone of this account.
   *
   * Every name of the certificate must be the zone's name or under it.
   *
   * @param hostedZone the public hosted zone that holds every name
   */
  public static fromDns(hostedZone: route53.IHostedZone): PublicCertificateValidation {
    return new PublicCertificateValidation(ValidationMethod.DNS, [hostedZone], {});
  }

  /**
   * DNS validation across several Route 53 public hosted zones of this account: each name is
   * validated in the zone with the longest name that is a suffix of it
   * (`a.dev.example.com` goes to `dev.example.com` rather than `example.com`).
   *
   * The zones' names must be known at synth time (`HostedZone.fromHostedZoneAttributes` or a zone
   * created in the app), since they decide which zone validates which name.
   *
   * @param hostedZones the public hosted zones; every name must fall in one of them
   */
  public static fromDnsMultiZone(hostedZones: route53.IHostedZone[]): PublicCertificateValidation {
    return new PublicCertificateValidation(ValidationMethod.DNS, [...hostedZones], {});
  }

  /**
   * DNS validation with records you create yourself (another DNS provider, another account).
   *
   * The stack waits in CREATE_IN_PROGRESS until the CNAME records shown in the ACM console (or
   * `DescribeCertificate`) exist and ACM validates them, for at most 72 hours.
   */
  public static fromDnsManual(): PublicCertificateValidation {
    return new PublicCertificateValidation(ValidationMethod.DNS, [], {});
  }

  /**
   * Email validation: ACM mails admin@, administrator@, hostmaster@, postmaster@ and webmaster@
   * of each name's validation domain. The stack waits until every email is approved, and every
   * renewal needs approval again; prefer DNS.
   *
   * @param validationDomains optional map from a certificate name to the domain to send its
   * emails to, which must be the name itself or one of its superdomains (e.g.
   * `{ 'www.example.com': 'example.com' }`). Names not in the map use themselves.
   */
  public static fromEmail(validationDomains: { [domainName: string]: string } = {}): PublicCertificateValidation {
    return new PublicCertificateValidation(ValidationMethod.EMAIL, [], { ...validationDomains });
  }

  private constructor(
    /** DNS or EMAIL. */
    public readonly method: ValidationMethod,
    /** The hosted zones that receive the validation records (empty for manual DNS and email). */
    public readonly hostedZones: route53.IHostedZone[],
    /** For email validation: certificate name to validation domain. */
    public readonly validationDomains: { [domainName: string]: string },
  ) {}
}
