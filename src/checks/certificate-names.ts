import { CfnResource } from 'aws-cdk-lib';
import { listValue, stringValue, UNRESOLVED } from './cfn-references';

/** The names of an ACM certificate that are known at synth time. */
export interface CertificateNames {
  /** DomainName and SubjectAlternativeNames, lower-cased, without a trailing dot, de-duplicated. */
  readonly known: string[];
  /** Whether every name is known. */
  readonly complete: boolean;
}

/** Reads `DomainName` + `SubjectAlternativeNames` of a rendered certificate. */
export function certificateNames(node: CfnResource, properties: Record<string, any>): CertificateNames {
  const sans = listValue(properties.SubjectAlternativeNames);
  const values = [properties.DomainName, ...(sans === UNRESOLVED ? [] : sans)];
  let complete = sans !== UNRESOLVED;
  const known = new Set<string>();
  for (const value of values) {
    const name = stringValue(node, value);
    if (typeof name === 'string') {
      known.add(name.toLowerCase().replace(/\.$/, ''));
    } else {
      complete = false;
    }
  }
  return { known: [...known], complete };
}
