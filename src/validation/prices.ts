/**
 * AWS prices the synth-time cost estimate uses: data, with the date read and the source of each, and
 * pure functions that turn counts into the estimate text. Imports nothing.
 *
 * To update: change `usd` and `readOn` (and `source` when the page moved) of the price that changed;
 * test/monitoring/cost-estimate.test.ts recomputes its expectations from this table.
 *
 * Prices are USD list prices of US East (N. Virginia); most regions are the same, some differ.
 */

/** One price, with where and when it was read. */
export interface Price {
  /** US dollars per `unit`. */
  readonly usd: number;
  /** What the price is for. */
  readonly unit: string;
  /** The page (or price list) it was read from. */
  readonly source: string;
  /** The date it was read (YYYY-MM-DD). */
  readonly readOn: string;
}

const PCA_PRICING = 'https://aws.amazon.com/private-ca/pricing/';
const AWS_PRICE_LIST_ACM = 'AWS Price List API, service AWSCertificateManager (copy at huggingface.co/datasets/labofsahil/aws-pricing-dataset, effective 2025-07-01)';
const ACM_PRICING = 'https://aws.amazon.com/certificate-manager/pricing/';

/** AWS Private CA: a general-purpose CA, per month (pro-rated for partial months). */
export const GENERAL_PURPOSE_CA_MONTHLY: Price = {
  usd: 400,
  unit: 'general-purpose CA per month',
  source: `${PCA_PRICING} ("$400 per private CA per month for general-purpose mode"); ${AWS_PRICE_LIST_ACM}`,
  readOn: '2026-12-02',
};

/** AWS Private CA: a short-lived-certificate CA, per month. */
export const SHORT_LIVED_CA_MONTHLY: Price = {
  usd: 50,
  unit: 'short-lived-certificate CA per month',
  source: `${PCA_PRICING} ("$50 per private CA per month for short-lived certificate mode"); ${AWS_PRICE_LIST_ACM}`,
  readOn: '2026-12-02',
};

/**
 * AWS Private CA: each certificate a general-purpose CA issues (directly, or an ACM private certificate
 * the first time it is exported), by the number issued in the month and region. The first two tiers
 * are the pricing page's table as widely quoted (the page's excerpt read here stops before the table);
 * the third is from the price list.
 */
export const PRIVATE_CERTIFICATE_TIERS: ReadonlyArray<Price & { readonly upTo?: number }> = [
  { upTo: 1000, usd: 0.75, unit: 'certificate (1 to 1,000 a month)', source: PCA_PRICING, readOn: '2026-12-02' },
  { upTo: 10000, usd: 0.35, unit: 'certificate (1,001 to 10,000 a month)', source: PCA_PRICING, readOn: '2026-12-02' },
  {
    usd: 0.001,
    unit: 'certificate (10,001 and more a month)',
    source: `${AWS_PRICE_LIST_ACM} ("$0.001 per certificate for 10,001 or more certs (General-purpose mode CA)")`,
    readOn: '2026-12-02',
  },
];

/** AWS Private CA: each certificate a short-lived-certificate CA issues. */
export const SHORT_LIVED_CERTIFICATE: Price = {
  usd: 0.058,
  unit: 'short-lived certificate',
  source: `${AWS_PRICE_LIST_ACM} ("$0.058 per certificate (Short-lived certificate mode CA)")`,
  readOn: '2026-12-02',
};

/**
 * ACM: an exportable public certificate, per fully qualified name, at issuance and at each renewal.
 * The AWS price list copy read here (effective 2025-02-01) says $15; ACM lowered it to $7 with the
 * 198-day certificates of 2026-02-18 (as reported by sjramblings.io 2026-02-20 and others; check the
 * pricing page).
 */
export const EXPORTABLE_PUBLIC_FQDN: Price = {
  usd: 7,
  unit: 'fully qualified name of an exportable public certificate, at issuance and at each renewal',
  source: `${ACM_PRICING}; https://sjramblings.io/aws-acm-certificate-validity-shorter-lifetimes ("from $15 to $7 per FQDN")`,
  readOn: '2026-12-02',
};

/** ACM: an exportable public certificate, per wildcard name, at issuance and at each renewal ($149 before 2026-02-18). */
export const EXPORTABLE_PUBLIC_WILDCARD: Price = {
  usd: 79,
  unit: 'wildcard name of an exportable public certificate, at issuance and at each renewal',
  source: `${ACM_PRICING}; https://sjramblings.io/aws-acm-certificate-validity-shorter-lifetimes ("from $149 to $79 per wildcard")`,
  readOn: '2026-12-02',
};

/** What a stack creates that costs money, counted from its resources. */
export interface CostCounts {
  /** AWS::ACMPCA::CertificateAuthority in general-purpose mode (or a mode unknown at synth time). */
  readonly generalPurposeCas: number;
  /** AWS::ACMPCA::CertificateAuthority in short-lived-certificate mode. */
  readonly shortLivedCas: number;
  /** Exportable public certificates. */
  readonly exportableCertificates: number;
  /** Fully qualified (non-wildcard) names of the exportable public certificates. */
  readonly exportableFqdnNames: number;
  /** Wildcard names of the exportable public certificates. */
  readonly exportableWildcardNames: number;
}

/** The CA operation charge per month, in USD. */
export function monthlyCaCost(counts: CostCounts): number {
  return counts.generalPurposeCas * GENERAL_PURPOSE_CA_MONTHLY.usd + counts.shortLivedCas * SHORT_LIVED_CA_MONTHLY.usd;
}

/** What the exportable public certificates cost at each issuance or renewal, in USD. */
export function exportableIssuanceCost(counts: CostCounts): number {
  return counts.exportableFqdnNames * EXPORTABLE_PUBLIC_FQDN.usd + counts.exportableWildcardNames * EXPORTABLE_PUBLIC_WILDCARD.usd;
}

/** `$1,250` or `$0.75`. */
export function formatUsd(usd: number): string {
  const [whole, fraction] = (Number.isInteger(usd) ? String(usd) : String(Number(usd.toFixed(3)))).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? `$${grouped}` : `$${grouped}.${fraction.padEnd(2, '0')}`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The estimate as one sentence for the stack's info annotation; undefined when nothing costs. */
export function costEstimateMessage(counts: CostCounts): string | undefined {
  const cas = [
    counts.generalPurposeCas ? plural(counts.generalPurposeCas, 'general-purpose CA', 'general-purpose CAs') : '',
    counts.shortLivedCas ? plural(counts.shortLivedCas, 'short-lived CA', 'short-lived CAs') : '',
  ].filter(Boolean);
  const parts: string[] = [];
  if (cas.length) {
    parts.push(`this stack creates ${cas.join(' and ')}: about ${formatUsd(monthlyCaCost(counts))} per month before per-certificate charges `
      + `(${formatUsd(PRIVATE_CERTIFICATE_TIERS[0].usd)} per certificate issued or exported, less above 1,000 a month; `
      + `${formatUsd(SHORT_LIVED_CERTIFICATE.usd)} per short-lived certificate)`);
  }
  if (counts.exportableCertificates) {
    const names = counts.exportableFqdnNames + counts.exportableWildcardNames;
    parts.push(`${cas.length ? 'it also requests' : 'this stack requests'} `
      + `${plural(counts.exportableCertificates, 'exportable public certificate', 'exportable public certificates')} `
      + `(${plural(names, 'name', 'names')}): about ${formatUsd(exportableIssuanceCost(counts))} at issuance and again at each renewal `
      + `(${formatUsd(EXPORTABLE_PUBLIC_FQDN.usd)} per name, ${formatUsd(EXPORTABLE_PUBLIC_WILDCARD.usd)} per wildcard name)`);
  }
  if (!parts.length) return undefined;
  return `cdk-pki cost estimate: ${parts.join('; ')}. US East list prices as read on ${GENERAL_PURPOSE_CA_MONTHLY.readOn}; `
    + 'see https://aws.amazon.com/private-ca/pricing/ and https://aws.amazon.com/certificate-manager/pricing/.';
}
