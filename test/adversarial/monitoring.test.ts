import { adversarial } from './harness';
import { certificateMonitorSpec } from './specs/monitoring';

describe('adversarial: monitoring', () => {
  adversarial(certificateMonitorSpec);
});
