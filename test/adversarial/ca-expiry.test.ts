import { adversarial } from './harness';
import { caExpirySpec } from './specs/ca-expiry';

describe('adversarial: CA expiry check', () => {
  adversarial(caExpirySpec);
});
