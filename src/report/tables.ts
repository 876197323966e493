import { CaInfo, CertificateInfo, Estate, EstateNode, Finding } from './model';
import { formatUsd } from '../validation/prices';

/**
 * The tables of the report as plain text cells, shared by the HTML and the Markdown output so both
 * say the same.
 *
 * Internal to the report (not exported from the package index).
 */

/** A table: a title, column headers and rows of cells (a cell may hold several lines). */
export interface Table {
  readonly title: string;
  readonly columns: string[];
  readonly rows: string[][][];
  /** What the table says when it has no rows. */
  readonly empty: string;
}

const KIND_NAMES: Record<string, string> = {
  'private': 'private (ACM)',
  'public-dns': 'public, DNS validated',
  'public-email': 'public, email validated',
  'public-http': 'public, HTTP validated',
  'imported': 'imported',
  'referenced': 'referenced by ARN',
  'issued-by-ca': 'issued by Private CA',
};

/**
 * The group of a certificate that no CA of the app issues, for the picture and the Markdown: its
 * validation method (or why it has none) on the first line, its zones on the second.
 */
export function groupLabel(c: CertificateInfo): string {
  const zones = c.zones.map((z) => z.replace(/^zone /, ''));
  switch (c.kind) {
    case 'public-dns':
    case 'public-http':
      return `${c.kind === 'public-dns' ? 'DNS' : 'HTTP'} validation\n${zones.length === 1 ? 'zone' : 'zones'} ${zones.join(', ')}`;
    case 'public-email':
      return `Email validation\n${zones.length === 1 ? 'domain' : 'domains'} ${zones.join(', ')}`;
    case 'imported':
      return 'Imported into ACM\nfrom Secrets Manager or SSM';
    case 'referenced':
      return 'Referenced by ARN\ncreated outside this app';
    default:
      return `Issuer not in this app\n${c.validation}`;
  }
}

/** The summary figures of the report's head. */
export function summaryFigures(estate: Estate): [string, string][] {
  const nodes: EstateNode[] = [...estate.cas.filter((c) => c.role !== 'external'), ...estate.certificates];
  const findings = allFindings(estate).filter((f) => !f.acknowledged && f.level !== 'info');
  const monthly = estate.costs.reduce((sum, c) => sum + c.monthlyUsd, 0);
  return [
    ['stacks', String(estate.stacks.length)],
    ['certificate authorities', String(estate.cas.filter((c) => c.role !== 'external').length)],
    ['certificates', String(estate.certificates.length)],
    ['unwatched', String(nodes.filter((n) => n.alarms.length === 0).length)],
    [estate.pkiChecksRan ? 'open findings' : 'open findings (PkiChecks not run)', String(findings.length)],
    ['CA fees per month', `about ${formatUsd(monthly)}`],
  ];
}

/** The table of certificate authorities. */
export function caTable(estate: Estate): Table {
  const label = (id?: string) => estate.cas.find((c) => c.id === id)?.label ?? id ?? '';
  return {
    title: 'Certificate authorities',
    columns: ['CA', 'role', 'stack', 'region', 'key algorithm', 'validity', 'mode', 'signed by', 'renewal', 'alarms', 'findings'],
    rows: estate.cas.map((ca: CaInfo) => [
      [ca.label, ca.id],
      [ca.role],
      [ca.stack || '—'],
      [ca.region],
      [ca.keyAlgorithm, ca.signingAlgorithm],
      [ca.validity],
      [ca.usageMode],
      [ca.parentId ? label(ca.parentId) : ca.parentNote ?? (ca.role === 'root' ? 'itself (root)' : '')],
      [ca.renewal],
      alarmCell(ca),
      findingCell(ca),
    ]),
    empty: 'No certificate authorities.',
  };
}

/** The table of certificates. */
export function certificateTable(estate: Estate): Table {
  const label = (id?: string) => estate.cas.find((c) => c.id === id)?.label ?? id ?? '';
  return {
    title: 'Certificates',
    columns: ['certificate', 'kind', 'validation', 'issuer', 'stack', 'region', 'renewal', 'exports, imports, uses', 'alarms', 'findings'],
    rows: estate.certificates.map((c: CertificateInfo) => [
      [...c.domains, c.id],
      [KIND_NAMES[c.kind] ?? c.kind, c.keyAlgorithm, ...(c.exportable ? ['exportable'] : [])],
      [c.validation, ...c.zones],
      [c.issuerId ? label(c.issuerId) : c.kind === 'private' || c.kind === 'issued-by-ca' ? 'unknown until deploy' : '—'],
      [c.stack || '—'],
      [c.region],
      [c.renewal],
      [
        ...c.links.map((l) => `${l.kind === 'source' ? 'imported from' : 'exported to'} ${l.label} (${l.detail})`),
        ...c.usedBy.map((u) => `used by ${u}`),
        ...c.crossStack,
      ],
      alarmCell(c),
      findingCell(c),
    ]),
    empty: 'No certificates.',
  };
}

/** The table of findings (PkiChecks and synth warnings), on CAs, certificates and elsewhere. */
export function findingTable(estate: Estate): Table {
  return {
    title: 'Findings',
    columns: ['rule', 'level', 'on', 'message', 'acknowledged'],
    rows: allFindings(estate).map((f) => [[f.id], [f.level], [f.path], [f.message], [f.acknowledged ?? '']]),
    empty: estate.pkiChecksRan ? 'No findings.' : 'No synth warnings; PkiChecks did not run on this app.',
  };
}

/** The cost table. */
export function costTable(estate: Estate): Table {
  return {
    title: 'Cost estimate',
    columns: ['stack', 'general-purpose CAs', 'short-lived CAs', 'exportable public certificates', 'estimate'],
    rows: estate.costs.map((c) => [
      [c.stack], [String(c.generalPurposeCas)], [String(c.shortLivedCas)], [String(c.exportableCertificates)], [c.summary],
    ]),
    empty: 'No Private CA and no exportable public certificate in this app: no CA fees or export charges.',
  };
}

function allFindings(estate: Estate): Finding[] {
  return [...estate.cas, ...estate.certificates].flatMap((n) => n.findings).concat(estate.otherFindings);
}

function alarmCell(n: EstateNode): string[] {
  return n.alarms.length === 0 ? ['unwatched'] : n.alarms.map((a) => `${a.summary} (${alarmName(a.path)})`);
}

/** An alarm's path without its stack, and without a generated last part (`CertificateMonitor/DaysToExpiry...`). */
function alarmName(path: string): string {
  const parts = path.split('/').slice(1);
  return parts.length > 1 && parts[parts.length - 1].length > 24 ? parts.slice(0, -1).join('/') : parts.join('/');
}

function findingCell(n: EstateNode): string[] {
  return n.findings.map((f) => `${f.id}${f.acknowledged ? ' (acknowledged)' : ''}`);
}
