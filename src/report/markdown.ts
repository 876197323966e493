import { CaInfo, CertificateInfo, Estate, EstateNode } from './model';
import { caTable, certificateTable, costTable, findingTable, groupLabel, summaryFigures, Table } from './tables';
import { escapeMarkdown as md } from './text';

/**
 * `pki-report.md`: the tables of the HTML report, and the picture as nested lists (each CA with its
 * subordinate CAs and the certificates it issues; the other certificates by validation method and
 * zone).
 *
 * Internal to the report (not exported from the package index).
 */

/** The Markdown document of the report. */
export function renderMarkdown(estate: Estate): string {
  const lines: string[] = ['# PKI estate report', '', `Cloud assembly: \`${estate.source}\``, ''];
  lines.push(summaryFigures(estate).map(([label, value]) => `**${md(value)}** ${md(label)}`).join(' · '), '');
  for (const note of estate.notes) lines.push(`> ${md(note)}`, '>');
  if (estate.notes.length > 0) lines.pop();
  if (estate.notes.length > 0) lines.push('');

  lines.push('## Hierarchy', '');
  const caIds = new Set(estate.cas.map((c) => c.id));
  const roots = estate.cas.filter((c) => !c.parentId || !caIds.has(c.parentId));
  const listed = new Set<string>();
  const tree = (ca: CaInfo, depth: number) => {
    lines.push(`${'  '.repeat(depth)}- ${caLine(ca)}`);
    for (const child of estate.cas.filter((c) => c.parentId === ca.id)) tree(child, depth + 1);
    for (const c of estate.certificates.filter((x) => x.issuerId === ca.id)) {
      listed.add(c.id);
      lines.push(`${'  '.repeat(depth + 1)}- ${certificateLine(c)}`);
    }
  };
  roots.forEach((root) => tree(root, 0));
  if (roots.length === 0) lines.push('No certificate authorities.');
  lines.push('');

  const rest = estate.certificates.filter((c) => !listed.has(c.id));
  if (rest.length > 0) {
    lines.push('## Other certificates by validation method and zone', '');
    const groups = new Map<string, CertificateInfo[]>();
    for (const c of rest) {
      const group = groupLabel(c).replace('\n', ' · ');
      groups.set(group, [...(groups.get(group) ?? []), c]);
    }
    for (const [group, certificates] of groups) {
      lines.push(`- ${md(group)}`, ...certificates.map((c) => `  - ${certificateLine(c)}`));
    }
    lines.push('');
  }

  for (const table of [caTable(estate), certificateTable(estate), findingTable(estate), costTable(estate)]) {
    lines.push(...renderTable(table), '');
  }
  const infos = estate.stacks.flatMap((s) => s.infos.map((i) => `- **${md(s.name)}**: ${md(i)}`));
  if (infos.length > 0) lines.push('What the constructs noted at synth time:', '', ...infos, '');
  return lines.join('\n');
}

function caLine(ca: CaInfo): string {
  const details = ca.role === 'external' ? [ca.id] : [ca.keyAlgorithm, ca.validity, ca.usageMode, where(ca)];
  return `**${md(ca.label)}** (${ca.role} CA; ${details.map(md).join('; ')})${status(ca)}`;
}

function certificateLine(c: CertificateInfo): string {
  const links = c.links.map((l) => `${l.kind === 'source' ? 'imported from' : 'exported to'} ${l.label}`);
  const details = [c.kind, ...(c.domains.length > 1 ? [c.domains.slice(1).join(', ')] : []), where(c), ...links, ...c.usedBy.map((u) => `used by ${u}`)];
  return `${md(c.domains[0] ?? c.label)} (${details.map(md).join('; ')})${status(c)}`;
}

function where(n: EstateNode): string {
  return n.stack ? `${n.stack}, ${n.region}` : n.region;
}

function status(n: EstateNode): string {
  const alarms = n.alarms.length === 0 ? 'unwatched' : `${n.alarms.length} alarm${n.alarms.length === 1 ? '' : 's'}`;
  const findings = [...new Set(n.findings.map((f) => f.id))];
  return ` — ${alarms}${findings.length > 0 ? `; ${findings.map(md).join(', ')}` : ''}`;
}

function renderTable(table: Table): string[] {
  const lines = [`## ${md(table.title)}`, ''];
  if (table.rows.length === 0) return [...lines, table.empty];
  lines.push(`| ${table.columns.map(md).join(' | ')} |`, `|${table.columns.map(() => ' --- ').join('|')}|`);
  for (const row of table.rows) {
    lines.push(`| ${row.map((cell) => cell.map(md).join('<br>')).join(' | ')} |`);
  }
  return lines;
}
