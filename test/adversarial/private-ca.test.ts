import { adversarial } from './harness';
import { crlBucketSpec, privateCaHierarchySpec, rootCaSpec, subordinateCaSpec } from './specs/private-ca';

describe('adversarial: Private CA', () => {
  adversarial(rootCaSpec);
  adversarial(subordinateCaSpec);
  adversarial(privateCaHierarchySpec);
  adversarial(crlBucketSpec);
});
