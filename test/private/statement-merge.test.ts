import { App, Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RESOURCES_PER_STATEMENT, StatementMerge } from '../../src/private/statement-merge';

const ARN = (n: number) => `arn:aws:acm:eu-west-1:111111111111:certificate/${String(n).padStart(8, '0')}-2222-3333-4444-555555555555`;

function merge(): { merged: StatementMerge; added: iam.PolicyStatement[]; stack: Stack } {
  const stack = new Stack(new App(), 'Stack');
  const added: iam.PolicyStatement[] = [];
  return { merged: new StatementMerge(stack, (s) => added.push(s)), added, stack };
}

describe('StatementMerge', () => {
  test('the cap is 19 ARNs per statement', () => {
    expect(RESOURCES_PER_STATEMENT).toBe(19);
  });

  test('25 resources of the same actions make two statements: 19 ARNs, then 6', () => {
    const { merged, added } = merge();
    for (let i = 0; i < 25; i++) merged.grant(['acm:DescribeCertificate', 'acm:ExportCertificate'], ARN(i));
    expect(added).toHaveLength(2);
    expect(added.map((s) => s.resources)).toEqual([
      Array.from({ length: 19 }, (_, i) => ARN(i)),
      Array.from({ length: 6 }, (_, i) => ARN(19 + i)),
    ]);
    for (const s of added) expect(s.actions).toEqual(['acm:DescribeCertificate', 'acm:ExportCertificate']);
  });

  test('the same actions in another order share the statement; other actions get their own', () => {
    const { merged, added } = merge();
    merged.grant(['acm:B', 'acm:A'], ARN(1));
    merged.grant(['acm:A', 'acm:B'], ARN(2));
    merged.grant(['acm:A'], ARN(3));
    expect(added.map((s) => [s.actions, s.resources])).toEqual([[['acm:B', 'acm:A'], [ARN(1), ARN(2)]], [['acm:A'], [ARN(3)]]]);
  });

  test('a resource granted twice (also through another token resolving to it) is added once and does not count', () => {
    const { merged, added } = merge();
    expect(merged.grant(['acm:A'], ARN(1))).toBe(true);
    expect(merged.grant(['acm:A'], ARN(1))).toBe(false);
    expect(merged.grant(['acm:A'], Lazy.string({ produce: () => ARN(1) }))).toBe(false);
    for (let i = 2; i <= RESOURCES_PER_STATEMENT; i++) merged.grant(['acm:A'], ARN(i));
    expect(added).toHaveLength(1);
    merged.grant(['acm:A'], ARN(100));
    expect(added).toHaveLength(2);
  });
});
