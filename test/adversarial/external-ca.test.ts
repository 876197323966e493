import { adversarial } from './harness';
import { externalCaSpec } from './specs/external-ca';

describe('adversarial: a subordinate CA under an external root', () => {
  adversarial(externalCaSpec);
});
