import { adversarial } from './harness';
import { trustStoreSpec } from './specs/trust-stores';

describe('adversarial: mTLS trust stores', () => {
  adversarial(trustStoreSpec);
});
