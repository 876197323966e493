import { UNKNOWN } from './intrinsics';
import { CaInfo, CertificateInfo } from './model';

/**
 * Renewal eligibility as far as a template tells it. ACM renews a certificate it issued from 60 days
 * before expiry when it is in use by an AWS service or has been exported (ACM User Guide, "Managed
 * certificate renewal"); email-validated ones need the emails approved (from 45 days); imported ones
 * and certificates Private CA issues directly are never renewed by ACM; a private certificate also
 * needs ACM's permission on its CA. What is in use only at deploy time (a service outside this app)
 * cannot be known here, so the text says what it depends on.
 *
 * Internal to the report (not exported from the package index).
 */

/** The renewal of a certificate, in one sentence. */
export function certificateRenewal(certificate: CertificateInfo, issuer?: CaInfo): string {
  const exported = certificate.links.some((l) => l.kind === 'secret');
  const use = certificate.usedBy.length > 0 ? `in use by ${certificate.usedBy[0].split(' ')[0]}` : exported ? 'exported' : undefined;
  const once = 'once in use by an AWS service or exported (nothing in this app uses it)';
  switch (certificate.kind) {
    case 'public-dns':
    case 'public-http':
      return use ? `eligible: ${use}; ACM renews from 60 days before expiry while the validation records stay` : `eligible ${once}`;
    case 'public-email':
      return 'needs approval: ACM emails the domain contacts from 45 days before expiry and renews only once they approve';
    case 'private':
      if (issuer && issuer.role !== 'external' && !issuer.acmPermission) {
        return `not renewed: the CA ${issuer.label} gives ACM no permission (AWS::ACMPCA::Permission) to issue and renew`;
      }
      if (!issuer) {
        return `eligible ${use ? `(${use})` : once} if its CA, ${UNKNOWN}, lets ACM issue and renew`;
      }
      if (issuer.role === 'external') {
        return `eligible ${use ? `(${use})` : once} if the CA outside this app lets ACM issue and renew`;
      }
      return use ? `eligible: ${use}; ACM renews from 60 days before expiry` : `eligible ${once}`;
    case 'imported':
      return 'never renewed by ACM: put new material in the source; the construct reimports it';
    case 'issued-by-ca':
      return 'never renewed by ACM: issued by Private CA directly';
    default:
      return 'unknown: created outside this app';
  }
}

/** The renewal of a CA's own certificate. */
export function caRenewal(ca: CaInfo): string {
  if (ca.role === 'external') {
    return 'unknown: outside this app';
  }
  const validity = /^(\d|until)/.test(ca.validity) ? ` (valid ${ca.validity})` : '';
  return `never automatic: replace the CA certificate before it expires${validity}`;
}

/** The renewal sentence of a certificate cut to a few words, for the picture. */
export function renewalShort(certificate: CertificateInfo): string {
  const r = certificate.renewal;
  const inUse = /^eligible: ([^;]+);/.exec(r);
  if (inUse) return `renews: ${inUse[1].replace(/::.*$/, '')}`;
  if (r.startsWith('eligible once')) return 'renews once used or exported';
  if (/if (its|the) CA/.test(r)) return 'renews if its CA lets ACM';
  if (r.startsWith('needs approval')) return 'renewal needs email approval';
  if (r.startsWith('not renewed')) return 'not renewed: no ACM permission';
  if (r.startsWith('never renewed')) return 'never renewed by ACM';
  return 'renewal unknown';
}
