import { adversarial } from './harness';
import { rolesAnywhereSpec } from './specs/roles-anywhere';

describe('adversarial: IAM Roles Anywhere trust anchors', () => {
  adversarial(rolesAnywhereSpec);
});
