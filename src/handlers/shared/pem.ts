/**
 * PEM text as the handlers write it: `-----BEGIN <label>-----`, the base64 in lines of 64 characters,
 * `-----END <label>-----`, a final newline (RFC 7468's strict form).
 *
 * This module imports nothing: every handler bundle may include it.
 */

/** One PEM block of `der` (bytes, or their base64 without whitespace) under `label`, e.g. `CERTIFICATE` or `X509 CRL`. */
export function pemBlock(label: string, der: Uint8Array | string): string {
  const base64 = typeof der === 'string' ? der : Buffer.from(der).toString('base64');
  return [`-----BEGIN ${label}-----`, ...base64.match(/.{1,64}/g) ?? [], `-----END ${label}-----`, ''].join('\n');
}
