/**
 * The family of a key algorithm. A private certificate's key must be of the same family as
 * its CA's key.
 */
export enum KeyFamily {
  /** RSA keys. */
  RSA = 'RSA',
  /** Elliptic-curve (ECDSA) keys. */
  EC = 'EC',
}
