import { CaInfo, CertificateInfo, StackCost, StackSummary } from './model';
import { CostCounts, costEstimateMessage, monthlyCaCost } from '../validation/prices';

/**
 * The cost section of the report: per stack, the Private CAs by usage mode and the exportable public
 * certificates, priced with the library's price table (`validation/prices.ts`), in the words of the
 * stacks' own cost annotation.
 *
 * Internal to the report (not exported from the package index).
 */

/** The estimate of each stack that has CAs or exportable public certificates. */
export function estimateCosts(stacks: readonly StackSummary[], cas: readonly CaInfo[], certificates: readonly CertificateInfo[]): StackCost[] {
  const result: StackCost[] = [];
  for (const stack of stacks) {
    const own = cas.filter((c) => c.stack === stack.name && c.role !== 'external');
    const exportable = certificates.filter((c) => c.stack === stack.name && c.exportable && c.kind.startsWith('public-'));
    const names = [...new Set(exportable.flatMap((c) => c.domains))];
    const shortLivedCas = own.filter((c) => c.usageMode === 'SHORT_LIVED_CERTIFICATE').length;
    const counts: CostCounts = {
      generalPurposeCas: own.length - shortLivedCas,
      shortLivedCas,
      exportableCertificates: exportable.length,
      exportableWildcardNames: names.filter((n) => n.startsWith('*.')).length,
      exportableFqdnNames: names.filter((n) => !n.startsWith('*.')).length,
    };
    const message = costEstimateMessage(counts);
    if (message === undefined) continue;
    result.push({
      stack: stack.name,
      generalPurposeCas: counts.generalPurposeCas,
      shortLivedCas,
      exportableCertificates: exportable.length,
      monthlyUsd: monthlyCaCost(counts),
      summary: message.replace(/^cdk-pki cost estimate: /, ''),
    });
  }
  return result;
}
