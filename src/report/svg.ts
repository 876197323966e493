import { Layout, layoutEstate, NodeVariant, PlacedEdge, PlacedNode } from './layout';
import { Estate } from './model';
import { BADGE_GAP, BADGE_SIZE, badgeWidth, escapeXml, fit, textWidth } from './text';

/**
 * Draws the estate as one SVG: a legend, then the boxes and arrows of `layoutEstate`. Every box is a
 * `<g>` with `data-kind` (`ca`, `certificate`, `link`) and `data-id` (the construct path or ARN), and
 * a `<title>` with what the box cuts short. No script, no external reference.
 *
 * Internal to the report (not exported from the package index).
 */

/** Header colour of each kind of box. */
export const COLORS: Record<NodeVariant, string> = {
  'root': '#1e3a8a',
  'intermediate': '#2563eb',
  'issuing': '#0e7490',
  'external': '#64748b',
  'private': '#7c3aed',
  'public-dns': '#047857',
  'public-email': '#b45309',
  'public-http': '#0f766e',
  'imported': '#be185d',
  'referenced': '#64748b',
  'issued-by-ca': '#6d28d9',
  'secret': '#475569',
  'source': '#475569',
  'output': '#475569',
};

const TONES = {
  ok: { fill: '#dcfce7', text: '#166534' },
  warn: { fill: '#fef3c7', text: '#92400e' },
  error: { fill: '#fee2e2', text: '#991b1b' },
  muted: { fill: '#e2e8f0', text: '#334155' },
  info: { fill: '#dbeafe', text: '#1e40af' },
};

const EDGE_STYLES: Record<PlacedEdge['variant'], string> = {
  'issues': 'stroke="#64748b" stroke-width="1.6"',
  'cross-stack': 'stroke="#64748b" stroke-width="1.6" stroke-dasharray="7 4"',
  'export': 'stroke="#7c3aed" stroke-width="1.4" stroke-dasharray="4 3"',
  'import': 'stroke="#be185d" stroke-width="1.4" stroke-dasharray="4 3"',
};

const LEGEND_BOXES: [NodeVariant, string][] = [
  ['root', 'Root CA'], ['intermediate', 'Intermediate CA'], ['issuing', 'Issuing CA'], ['external', 'External CA (by ARN)'],
  ['private', 'Private certificate'], ['public-dns', 'Public, DNS'], ['public-email', 'Public, email'],
  ['imported', 'Imported'], ['referenced', 'Referenced by ARN'], ['secret', 'Export target / import source'],
];
const LEGEND_EDGES: [PlacedEdge['variant'], string][] = [['issues', 'issues'], ['cross-stack', 'issues, across stacks'], ['export', 'exported to'], ['import', 'imported from']];
const LEGEND_BADGES: [keyof typeof TONES, string, string][] = [
  ['ok', '1 alarm', 'watched by an alarm'], ['warn', 'unwatched', 'no alarm'], ['warn', 'PKI-ACM1', 'finding'], ['muted', 'PKI-PCA7 (ack)', 'acknowledged'], ['info', 'cost-hint', 'hint'],
];

const FONT = 'font-family="DejaVu Sans, Segoe UI, Helvetica, Arial, sans-serif"';

/** The SVG document of the estate's picture. */
export function renderSvg(estate: Estate): string {
  const legend = renderLegend();
  const layout = layoutEstate(estate, legend.height + 8);
  const width = Math.max(layout.width, legend.width);
  const height = estate.cas.length + estate.certificates.length === 0 ? legend.height + 60 : layout.height;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} role="img" aria-label="PKI estate" style="max-width: 100%; height: auto">`,
    '<defs>',
    '<filter id="shadow" x="-5%" y="-5%" width="110%" height="120%"><feDropShadow dx="0" dy="1" stdDeviation="1.5" flood-opacity="0.18"/></filter>',
    ...Object.entries({ issues: '#64748b', export: '#7c3aed', import: '#be185d' }).map(([name, color]) =>
      `<marker id="arrow-${name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">`
      + `<path d="M0,0 L10,5 L0,10 z" fill="${color}"/></marker>`),
    '</defs>',
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    legend.svg,
    ...renderLayout(layout),
  ];
  if (estate.cas.length + estate.certificates.length === 0) {
    parts.push(`<text x="24" y="${legend.height + 36}" font-size="14" fill="#475569">${escapeXml(estate.stacks.length === 0
      ? 'No stacks in this cloud assembly.' : 'No certificates or certificate authorities in this cloud assembly.')}</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}

function renderLayout(layout: Layout): string[] {
  const out: string[] = [];
  for (const g of layout.groups) {
    if (g.section) {
      out.push(`<text class="section" x="${g.x}" y="${g.y + 22}" font-size="15" font-weight="bold" fill="#0f172a">${escapeXml(g.label)}</text>`);
    } else {
      const [title, detail = ''] = g.label.split('\n');
      out.push(`<g class="group"><title>${escapeXml(g.label.replace('\n', ': '))}</title>`
        + `<rect x="${g.x}" y="${g.y}" width="${g.w}" height="${g.h}" rx="10" fill="#f8fafc" stroke="#cbd5e1"/>`
        + `<text x="${g.x + 14}" y="${g.y + 19}" font-size="12" font-weight="bold" fill="#1e293b">${escapeXml(fit(title, g.w - 28, 12, true))}</text>`
        + `<text x="${g.x + 14}" y="${g.y + 35}" font-size="11" fill="#475569">${escapeXml(fit(detail, g.w - 28, 11))}</text></g>`);
    }
  }
  for (const e of layout.edges) {
    const mid = (e.x1 + e.x2) / 2;
    const marker = e.variant === 'cross-stack' ? 'issues' : e.variant;
    out.push(`<path class="edge" data-from="${escapeXml(e.from)}" data-to="${escapeXml(e.to)}" d="M${e.x1},${e.y1} C${mid},${e.y1} ${mid},${e.y2} ${e.x2 - 2},${e.y2}" `
      + `fill="none" ${EDGE_STYLES[e.variant]} marker-end="url(#arrow-${marker})"/>`);
  }
  for (const n of layout.nodes) out.push(renderNode(n));
  return out;
}

function renderNode(n: PlacedNode): string {
  const color = COLORS[n.variant];
  const dashed = n.variant === 'external' || n.variant === 'referenced' ? ' stroke-dasharray="5 3"' : '';
  const header = n.kind === 'link' ? 17 : 20;
  const headerSize = n.kind === 'link' ? 9.5 : 10.5;
  const parts = [
    `<g class="node" data-kind="${n.kind}" data-id="${escapeXml(n.id)}" data-variant="${n.variant}">`,
    `<title>${escapeXml(n.title)}</title>`,
    `<rect x="${n.x}" y="${n.y}" width="${n.w}" height="${n.h}" rx="7" fill="#ffffff" stroke="${color}" stroke-width="1.5"${dashed} filter="url(#shadow)"/>`,
    `<path d="M${n.x},${n.y + header} V${n.y + 7} Q${n.x},${n.y} ${n.x + 7},${n.y} H${n.x + n.w - 7} Q${n.x + n.w},${n.y} ${n.x + n.w},${n.y + 7} V${n.y + header} Z" fill="${color}"/>`,
    `<text x="${n.x + 10}" y="${n.y + header - 6}" font-size="${headerSize}" font-weight="bold" fill="#ffffff" letter-spacing="0.4">${escapeXml(n.header)}</text>`,
  ];
  const room = n.w - 30 - textWidth(n.header, headerSize, true) * 1.05;
  if (n.where && room > 30) {
    parts.push(`<text x="${n.x + n.w - 10}" y="${n.y + header - 6}" font-size="${headerSize - 0.5}" text-anchor="end" fill="#ffffff" fill-opacity="0.85">`
      + `${escapeXml(fit(n.where, room, headerSize - 0.5))}</text>`);
  }
  n.lines.forEach((line, i) => {
    const bold = i === 0;
    const size = bold ? 13 : 11.5;
    const y = n.y + header + (n.kind === 'link' ? 18 : 19 + i * 17);
    parts.push(`<text x="${n.x + 10}" y="${y}" font-size="${size}"${bold ? ' font-weight="bold"' : ''} fill="${bold ? '#0f172a' : '#475569'}">`
      + `${escapeXml(fit(line, n.w - 20, size, bold))}</text>`);
  });
  let bx = n.x + 10;
  const by = n.y + n.h - 23;
  for (const b of n.badges) {
    const w = badgeWidth(b.text);
    const tone = TONES[b.tone];
    parts.push(`<g class="badge" data-tone="${b.tone}"><title>${escapeXml(b.title)}</title>`
      + `<rect x="${bx}" y="${by}" width="${w}" height="16" rx="8" fill="${tone.fill}"/>`
      + `<text x="${bx + w / 2}" y="${by + 11.5}" font-size="${BADGE_SIZE}" font-weight="bold" text-anchor="middle" fill="${tone.text}">${escapeXml(b.text)}</text></g>`);
    bx += w + BADGE_GAP;
  }
  parts.push('</g>');
  return parts.join('');
}

/** The legend: box colours, arrow styles and badges, in rows. */
function renderLegend(): { svg: string; width: number; height: number } {
  const items: { w: number; draw: (x: number, y: number) => string }[] = [];
  for (const [variant, label] of LEGEND_BOXES) {
    items.push({
      w: 26 + Math.ceil(textWidth(label, 12)),
      draw: (x, y) => `<rect x="${x}" y="${y - 10}" width="18" height="13" rx="3" fill="${COLORS[variant]}"/>`
        + `<text x="${x + 24}" y="${y + 1}" font-size="12" fill="#334155">${escapeXml(label)}</text>`,
    });
  }
  for (const [variant, label] of LEGEND_EDGES) {
    const marker = variant === 'cross-stack' ? 'issues' : variant;
    items.push({
      w: 44 + Math.ceil(textWidth(label, 12)),
      draw: (x, y) => `<path d="M${x},${y - 4} H${x + 32}" ${EDGE_STYLES[variant]} marker-end="url(#arrow-${marker})"/>`
        + `<text x="${x + 40}" y="${y + 1}" font-size="12" fill="#334155">${escapeXml(label)}</text>`,
    });
  }
  for (const [tone, text, label] of LEGEND_BADGES) {
    const w = badgeWidth(text);
    items.push({
      w: w + 8 + Math.ceil(textWidth(label, 12)),
      draw: (x, y) => `<rect x="${x}" y="${y - 12}" width="${w}" height="16" rx="8" fill="${TONES[tone].fill}"/>`
        + `<text x="${x + w / 2}" y="${y}" font-size="${BADGE_SIZE}" font-weight="bold" text-anchor="middle" fill="${TONES[tone].text}">${escapeXml(text)}</text>`
        + `<text x="${x + w + 6}" y="${y + 1}" font-size="12" fill="#334155">${escapeXml(label)}</text>`,
    });
  }
  const maxWidth = 1100;
  const parts = ['<g class="legend">', '<text x="24" y="26" font-size="13" font-weight="bold" fill="#0f172a">Legend</text>'];
  let x = 90;
  let y = 26;
  let width = 0;
  for (const item of items) {
    if (x + item.w > maxWidth) {
      x = 90;
      y += 24;
    }
    parts.push(item.draw(x, y));
    x += item.w + 18;
    width = Math.max(width, x);
  }
  parts.push(`<line x1="24" y1="${y + 16}" x2="${maxWidth}" y2="${y + 16}" stroke="#e2e8f0"/>`, '</g>');
  return { svg: parts.join('\n'), width: width + 24, height: y + 20 };
}
