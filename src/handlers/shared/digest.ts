import { createHash } from 'crypto';

/**
 * Stable identifiers derived from what identifies a request or a resource (idempotency tokens,
 * owner marks, record hashes): the first `hexDigits` hex digits of the SHA-256 of `text`. Each
 * caller keeps its own `text` layout: a token or mark already stored in AWS must stay the same
 * after an upgrade.
 */
export function shortDigest(text: string, hexDigits: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, hexDigits);
}
