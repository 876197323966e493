import {
  ACM_PUBLIC_LIFETIMES,
  acmPublicLifetimeDays,
  fractionThresholdDays,
  MIN_RENEWAL_ALLOWANCE_DAYS,
  MIN_THRESHOLD_DAYS_TO_ACT,
  RENEWAL_WINDOWS,
  RenewalKind,
  renewalAllowanceDays,
  renewalStartDays,
  renewalWindowThresholdDays,
  thresholdWarnings,
  validateLifetimeFraction,
} from '../../src/validation/renewal-windows';

const KINDS = Object.keys(RENEWAL_WINDOWS) as RenewalKind[];

describe('renewal-windows: the table keeps both rules for every kind and lifetime', () => {
  // From the shortest public lifetime SC-081 allows (47 days; 46 still works) to the longest ACM ever issued.
  const lifetimes = Array.from({ length: 400 - 46 + 1 }, (_, i) => 46 + i);

  test.each(KINDS)('%s: no alarm inside the renewal (threshold <= start - 7) and >= 16 days to act', (kind) => {
    for (const lifetime of [...lifetimes, undefined]) {
      const threshold = renewalWindowThresholdDays(kind, lifetime);
      const start = renewalStartDays(kind, lifetime);
      if (start !== undefined) {
        expect({ lifetime, fits: threshold <= start - MIN_RENEWAL_ALLOWANCE_DAYS }).toEqual({ lifetime, fits: true });
        expect(renewalAllowanceDays(kind, lifetime)).toBe(start - threshold);
      } else if (lifetime !== undefined) {
        expect(threshold).toBeLessThanOrEqual(lifetime / 2);
      }
      expect({ lifetime, threshold, enough: threshold >= MIN_THRESHOLD_DAYS_TO_ACT }).toEqual({ lifetime, threshold, enough: true });
      expect(thresholdWarnings(kind, threshold, lifetime)).toEqual([]);
    }
  });

  test('every row names its source', () => {
    for (const kind of KINDS) expect(RENEWAL_WINDOWS[kind].source).toMatch(/\[seed §\d/);
  });

  test('ACM public lifetimes follow the dates: 395, then 198 (2026-02-18), 100 (2027-03-15), 47 (2029-03-15)', () => {
    expect(['2025-12-31', '2026-02-18', '2026-12-02', '2027-03-14', '2027-03-15', '2029-03-15'].map((d) => acmPublicLifetimeDays(new Date(`${d}T12:00:00Z`))))
      .toEqual([395, 198, 198, 198, 100, 47]);
    expect(ACM_PUBLIC_LIFETIMES.map((l) => l.from)).toEqual([...ACM_PUBLIC_LIFETIMES.map((l) => l.from)].sort());
  });

  test('fractions: in (0, 1), rounded down, at least a day', () => {
    expect([fractionThresholdDays(0.2, 198), fractionThresholdDays(0.2, 47), fractionThresholdDays(0.01, 47)]).toEqual([39, 9, 1]);
    expect(validateLifetimeFraction(0.5)).toEqual([]);
    for (const bad of [0, 1, -1, 2, Number.NaN]) expect(validateLifetimeFraction(bad)).toHaveLength(1);
  });

  test('warnings name the fix', () => {
    expect(thresholdWarnings('PUBLIC_EMAIL', 40, 198)).toEqual([expect.stringContaining('ACM starts renewing a PUBLIC_EMAIL certificate 45 days before expiry '
      + 'and may need 7 days. Use at most 38 days')]);
    expect(thresholdWarnings('IMPORTED', 50)).toEqual([]);
    expect(thresholdWarnings('IMPORTED', 15)).toEqual([expect.stringContaining('Use at least 16 days.')]);
  });
});
