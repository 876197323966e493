import { CaInfo, CertificateInfo, Estate, EstateNode, Link } from './model';
import { renewalShort } from './renewal';
import { groupLabel } from './tables';
import { badgeWidth, BADGE_GAP } from './text';

/**
 * Places the estate on a canvas, left to right: the CA hierarchies as trees (root → intermediates →
 * issuing → the certificates each issues), then the public certificates grouped by validation
 * method and zone, then imported and referenced certificates. Each leaf gets a row of its own and a
 * parent sits level with the middle of its children, so nodes never overlap. Export targets sit right
 * of their certificate, import sources left of it.
 *
 * Internal to the report (not exported from the package index).
 */

/** How a node looks. */
export type NodeVariant =
  | 'root' | 'intermediate' | 'issuing' | 'external'
  | 'private' | 'public-dns' | 'public-email' | 'public-http' | 'imported' | 'referenced' | 'issued-by-ca'
  | 'secret' | 'source' | 'output';

/** A badge under a node's text. */
export interface Badge {
  readonly text: string;
  readonly tone: 'ok' | 'warn' | 'error' | 'muted' | 'info';
  /** The tooltip. */
  readonly title: string;
}

/** A box of the picture. */
export interface PlacedNode {
  /** `ca`, `certificate`, or `link` (an export target or an import source). */
  readonly kind: 'ca' | 'certificate' | 'link';
  readonly id: string;
  readonly variant: NodeVariant;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  /** The caption of the header band, e.g. `ROOT CA`. */
  readonly header: string;
  /** Right-aligned in the header band: the stack and region. */
  readonly where: string;
  /** The first line is the name (bold); the others are details. */
  readonly lines: string[];
  readonly badges: Badge[];
  /** The tooltip: everything the box cuts short. */
  readonly title: string;
}

/** An arrow between two boxes. */
export interface PlacedEdge {
  readonly from: string;
  readonly to: string;
  /** `issues` (CA → CA or certificate), `cross-stack` (the same, between stacks), `export`, `import`. */
  readonly variant: 'issues' | 'cross-stack' | 'export' | 'import';
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

/** A labelled frame around related boxes, or a section title (no frame). */
export interface PlacedGroup {
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly section: boolean;
}

/** The picture's geometry. */
export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly nodes: PlacedNode[];
  readonly edges: PlacedEdge[];
  readonly groups: PlacedGroup[];
}

export const NODE_W = 260;
export const NODE_H = 98;
export const LINK_W = 210;
export const LINK_H = 46;
const COL_GAP = 56;
const ROW_GAP = 18;
const MARGIN = 24;
const SECTION_TITLE_H = 34;
const GROUP_PAD = 14;
const GROUP_HEADER = 44;
const MAX_WIDTH = 1500;

const CA_HEADERS: Record<string, string> = { root: 'ROOT CA', intermediate: 'INTERMEDIATE', issuing: 'ISSUING CA', external: 'EXTERNAL CA' };
const CERTIFICATE_HEADERS: Record<string, string> = {
  'private': 'PRIVATE',
  'public-dns': 'PUBLIC · DNS',
  'public-email': 'PUBLIC · EMAIL',
  'public-http': 'PUBLIC · HTTP',
  'imported': 'IMPORTED',
  'referenced': 'BY ARN',
  'issued-by-ca': 'ISSUED BY PCA',
};

/** Lays out the estate, starting `top` pixels down (below the legend). */
export function layoutEstate(estate: Estate, top: number): Layout {
  const out: Layout = { width: 0, height: 0, nodes: [], edges: [], groups: [] };
  let y = top;

  // 1. The CA hierarchies.
  const caIds = new Set(estate.cas.map((c) => c.id));
  const roots = estate.cas.filter((c) => !c.parentId || !caIds.has(c.parentId));
  if (roots.length > 0) {
    out.groups.push({ label: 'Private CA hierarchy: each CA and the certificates it issues', x: MARGIN, y, w: 0, h: SECTION_TITLE_H, section: true });
    y += SECTION_TITLE_H;
    for (const root of roots) {
      y = placeTree(out, estate, root, 0, y) + ROW_GAP;
    }
  }

  // 2. Public certificates by validation method and zone; 3. imported, referenced and orphaned ones.
  const placed = new Set(out.nodes.map((n) => n.id));
  const rest = estate.certificates.filter((c) => !placed.has(c.id));
  const publicGroups = groupBy(rest.filter((c) => c.kind.startsWith('public-')), groupLabel);
  const otherGroups = groupBy(rest.filter((c) => !c.kind.startsWith('public-')), groupLabel);
  y = placeGroups(out, 'Public certificates by validation method and zone', publicGroups, y);
  y = placeGroups(out, 'Imported and referenced certificates', otherGroups, y);

  const width = Math.max(900, ...out.nodes.map((n) => n.x + n.w), ...out.groups.map((g) => g.x + g.w)) + MARGIN;
  return { ...out, width, height: y + MARGIN - ROW_GAP };
}

/** Places a CA and its subtree with its first row at `y`; returns the bottom of the subtree. */
function placeTree(out: Layout, estate: Estate, ca: CaInfo, depth: number, y: number): number {
  const x = MARGIN + depth * (NODE_W + COL_GAP);
  const childCas = estate.cas.filter((c) => c.parentId === ca.id);
  const issued = estate.certificates.filter((c) => c.issuerId === ca.id);
  const childTops: number[] = [];
  let bottom = y;
  let cursor = y;
  for (const child of childCas) {
    childTops.push(cursor);
    bottom = placeTree(out, estate, child, depth + 1, cursor);
    cursor = bottom + ROW_GAP;
  }
  for (const certificate of issued) {
    childTops.push(cursor);
    bottom = placeCertificateRow(out, certificate, x + NODE_W + COL_GAP, cursor, false);
    cursor = bottom + ROW_GAP;
  }
  const nodeY = childTops.length === 0 ? y : (childTops[0] + childTops[childTops.length - 1]) / 2;
  out.nodes.push(caNode(ca, x, nodeY));
  for (const child of [...childCas, ...issued]) {
    const target = out.nodes.find((n) => n.id === child.id)!;
    out.edges.push({
      from: ca.id,
      to: child.id,
      variant: child.stack !== ca.stack && ca.stack !== '' ? 'cross-stack' : 'issues',
      x1: x + NODE_W,
      y1: nodeY + NODE_H / 2,
      x2: target.x,
      y2: target.y + NODE_H / 2,
    });
  }
  return Math.max(bottom, nodeY + NODE_H);
}

/**
 * Places a certificate at (x, y) with its export targets right of it and (`withSources`) its import
 * sources left of it, shifting the certificate right; returns the bottom of the row.
 */
function placeCertificateRow(out: Layout, certificate: CertificateInfo, x: number, y: number, withSources: boolean): number {
  const sources = withSources ? certificate.links.filter((l) => l.kind === 'source') : [];
  const targets = certificate.links.filter((l) => l.kind !== 'source');
  const certX = sources.length > 0 ? x + LINK_W + COL_GAP : x;
  const placeLinks = (links: Link[], lx: number, toward: 'in' | 'out') => {
    const stackH = links.length * LINK_H + (links.length - 1) * 10;
    let ly = y + (NODE_H - stackH) / 2;
    for (const link of links) {
      out.nodes.push(linkNode(link, lx, ly));
      out.edges.push(toward === 'out'
        ? { from: certificate.id, to: link.id, variant: 'export', x1: certX + NODE_W, y1: y + NODE_H / 2, x2: lx, y2: ly + LINK_H / 2 }
        : { from: link.id, to: certificate.id, variant: 'import', x1: lx + LINK_W, y1: ly + LINK_H / 2, x2: certX, y2: y + NODE_H / 2 });
      ly += LINK_H + 10;
    }
    return stackH;
  };
  out.nodes.push(certificateNode(certificate, certX, y));
  const h = Math.max(NODE_H, placeLinks(sources, x, 'in'), placeLinks(targets, certX + NODE_W + COL_GAP, 'out'));
  return y + h;
}

/** Places framed groups of certificates under a section title, wrapping at MAX_WIDTH; returns the new y. */
function placeGroups(out: Layout, title: string, groups: Map<string, CertificateInfo[]>, y: number): number {
  if (groups.size === 0) return y;
  out.groups.push({ label: title, x: MARGIN, y, w: 0, h: SECTION_TITLE_H, section: true });
  y += SECTION_TITLE_H;
  let x = MARGIN;
  let rowBottom = y;
  for (const [label, certificates] of groups) {
    const hasSources = certificates.some((c) => c.links.some((l) => l.kind === 'source'));
    const hasTargets = certificates.some((c) => c.links.some((l) => l.kind !== 'source'));
    const w = 2 * GROUP_PAD + NODE_W + (hasSources ? LINK_W + COL_GAP : 0) + (hasTargets ? LINK_W + COL_GAP : 0);
    if (x > MARGIN && x + w > MAX_WIDTH) {
      x = MARGIN;
      y = rowBottom + ROW_GAP;
    }
    let cursor = y + GROUP_HEADER;
    for (const certificate of certificates) {
      cursor = placeCertificateRow(out, certificate, x + GROUP_PAD, cursor, true) + ROW_GAP;
    }
    const h = cursor - y - ROW_GAP + GROUP_PAD;
    out.groups.push({ label, x, y, w, h, section: false });
    rowBottom = Math.max(rowBottom, y + h);
    x += w + ROW_GAP;
  }
  return rowBottom + ROW_GAP * 2;
}

function caNode(ca: CaInfo, x: number, y: number): PlacedNode {
  const mode = ca.usageMode === 'SHORT_LIVED_CERTIFICATE' ? 'short-lived' : ca.usageMode === 'GENERAL_PURPOSE' ? 'general-purpose' : ca.usageMode;
  const lines = ca.role === 'external'
    ? [ca.label, 'referenced by ARN', 'key and validity unknown']
    : [ca.label, `${ca.keyAlgorithm} · ${mode}`, `valid ${ca.validity}`];
  return {
    kind: 'ca',
    id: ca.id,
    variant: ca.role,
    x,
    y,
    w: NODE_W,
    h: NODE_H,
    header: CA_HEADERS[ca.role],
    where: where(ca),
    lines,
    badges: badges(ca),
    title: [ca.id, `key ${ca.keyAlgorithm}, signs with ${ca.signingAlgorithm}`, `validity ${ca.validity}`, `mode ${ca.usageMode}`,
      ca.parentNote ?? '', `renewal: ${ca.renewal}`, ...ca.crossStack].filter((s) => s !== '').join('\n'),
  };
}

function certificateNode(c: CertificateInfo, x: number, y: number): PlacedNode {
  const more = c.domains.length > 1 ? ` +${c.domains.length - 1}` : '';
  const detail = c.kind === 'imported' || c.kind === 'referenced' ? c.validation : [c.keyAlgorithm, c.exportable ? 'exportable' : ''].filter((s) => s).join(' · ');
  return {
    kind: 'certificate',
    id: c.id,
    variant: c.kind,
    x,
    y,
    w: NODE_W,
    h: NODE_H,
    header: CERTIFICATE_HEADERS[c.kind],
    where: where(c),
    lines: [`${c.label}${more}`, detail, renewalShort(c)],
    badges: badges(c),
    title: [c.id, `names: ${c.domains.join(', ')}`, c.zones.length ? `zones: ${c.zones.join(', ')}` : '', `renewal: ${c.renewal}`,
      c.usedBy.length ? `used by: ${c.usedBy.join(', ')}` : '', ...c.crossStack].filter((s) => s !== '').join('\n'),
  };
}

function linkNode(link: Link, x: number, y: number): PlacedNode {
  return {
    kind: 'link',
    id: link.id,
    variant: link.kind,
    x,
    y,
    w: LINK_W,
    h: LINK_H,
    header: link.kind === 'source' ? 'IMPORTED FROM' : 'EXPORTED TO',
    where: link.kind === 'source' ? link.detail.replace(/ secret$| parameter$/, '') : '',
    lines: [link.label.replace(/^[^/]+\/(?=.*\/)/, '')],
    badges: [],
    title: `${link.detail}: ${link.label}`,
  };
}

function where(n: EstateNode): string {
  return n.stack ? `${n.stack} · ${n.region}` : n.region;
}

/** The alarm badge ("2 alarms" or "unwatched") and one badge per finding rule. */
function badges(n: EstateNode): Badge[] {
  const result: Badge[] = [n.alarms.length > 0
    ? { text: `${n.alarms.length} alarm${n.alarms.length === 1 ? '' : 's'}`, tone: 'ok', title: n.alarms.map((a) => `${a.summary} (${a.path})`).join('\n') }
    : { text: 'unwatched', tone: 'warn', title: 'No CloudWatch alarm watches a metric of it' }];
  const seen = new Set<string>();
  for (const f of n.findings) {
    if (seen.has(f.id)) continue;
    seen.add(f.id);
    const text = f.id.replace(/^cdk-pki:/, '');
    result.push({ text: f.acknowledged ? `${text} (ack)` : text, tone: f.acknowledged ? 'muted' : f.level === 'error' ? 'error' : f.level === 'info' ? 'info' : 'warn', title: f.message });
  }
  // Keep the badges inside the box: what does not fit goes into a last "+N" badge.
  const fitted: Badge[] = [];
  let used = 0;
  for (const [i, b] of result.entries()) {
    const w = badgeWidth(b.text);
    const reserve = i < result.length - 1 ? badgeWidth('+99') + BADGE_GAP : 0;
    if (used + w + reserve > NODE_W - 16) {
      fitted.push({ text: `+${result.length - i}`, tone: 'muted', title: result.slice(i).map((r) => r.text).join(', ') });
      break;
    }
    fitted.push(b);
    used += w + BADGE_GAP;
  }
  return fitted;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}
