/**
 * A custom attribute of a distinguished name: an object identifier and its value.
 */
export interface CaSubjectCustomAttribute {
  /** The object identifier (OID) of the attribute, e.g. `2.5.4.3`. */
  readonly objectIdentifier: string;
  /** The value, 1-256 characters. */
  readonly value: string;
}

/**
 * The X.500 distinguished name of a CA. At least one field must be set; custom attributes cannot
 * be combined with the standard fields.
 *
 * @see https://docs.aws.amazon.com/privateca/latest/APIReference/API_ASN1Subject.html
 */
export interface CaSubject {
  /**
   * The common name (CN), at most 64 characters, e.g. `Example Corp Root CA`.
   *
   * @default - none
   */
  readonly commonName?: string;
  /**
   * Two-letter country code (C), e.g. `US`.
   *
   * @default - none
   */
  readonly country?: string;
  /**
   * Organization (O), at most 64 characters.
   *
   * @default - none
   */
  readonly organization?: string;
  /**
   * Organizational unit (OU), at most 64 characters.
   *
   * @default - none
   */
  readonly organizationalUnit?: string;
  /**
   * State or province (ST), at most 128 characters.
   *
   * @default - none
   */
  readonly state?: string;
  /**
   * Locality (L), at most 128 characters.
   *
   * @default - none
   */
  readonly locality?: string;
  /**
   * Distinguished name qualifier, at most 64 characters of `a-z A-Z 0-9 ' ( ) + , - . ? : / =` and space.
   *
   * @default - none
   */
  readonly distinguishedNameQualifier?: string;
  /**
   * Serial number attribute of the subject, at most 64 characters, same characters as `distinguishedNameQualifier`.
   *
   * @default - none
   */
  readonly serialNumber?: string;
  /**
   * Title, at most 64 characters.
   *
   * @default - none
   */
  readonly title?: string;
  /**
   * Surname, at most 40 characters.
   *
   * @default - none
   */
  readonly surname?: string;
  /**
   * Given name, at most 16 characters.
   *
   * @default - none
   */
  readonly givenName?: string;
  /**
   * Initials, at most 5 characters.
   *
   * @default - none
   */
  readonly initials?: string;
  /**
   * Pseudonym, at most 128 characters.
   *
   * @default - none
   */
  readonly pseudonym?: string;
  /**
   * Generation qualifier (e.g. Jr., III), at most 3 characters.
   *
   * @default - none
   */
  readonly generationQualifier?: string;
  /**
   * Custom attributes (1-150), in place of every standard field.
   *
   * @default - none
   */
  readonly customAttributes?: CaSubjectCustomAttribute[];
}
