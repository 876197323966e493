import { Estate } from './model';
import { renderSvg } from './svg';
import { caTable, certificateTable, costTable, findingTable, summaryFigures, Table } from './tables';
import { escapeXml } from './text';

/**
 * `pki-report.html`: one self-contained page (inline CSS and SVG, no script, no font, image or
 * anything else fetched) with the summary, the picture, the tables and the cost estimate.
 *
 * Internal to the report (not exported from the package index).
 */

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; padding: 28px 32px 48px; font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #0f172a; background: #f1f5f9; font-size: 14px; }
h1 { margin: 0 0 4px; font-size: 24px; }
h2 { margin: 32px 0 12px; font-size: 18px; }
.source { color: #475569; margin: 0 0 20px; word-break: break-all; }
.figures { display: flex; flex-wrap: wrap; gap: 12px; margin-bottom: 16px; }
.figure { background: #fff; border: 1px solid #e2e8f0; border-radius: 10px; padding: 10px 16px; min-width: 140px; }
.figure b { display: block; font-size: 22px; }
.figure span { color: #475569; font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; }
.notes { background: #fffbeb; border: 1px solid #fcd34d; border-radius: 10px; padding: 10px 16px; margin: 0 0 16px; }
.notes li { margin: 4px 0; }
.picture { background: #fff; border: 1px solid #e2e8f0; border-radius: 10px; overflow-x: auto; }
.picture svg { display: block; }
table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid #e2e8f0; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid #e2e8f0; }
th { background: #f8fafc; font-size: 12px; text-transform: uppercase; letter-spacing: 0.03em; color: #334155; }
td .sub { color: #64748b; font-size: 12px; word-break: break-all; }
td .unwatched { color: #92400e; font-weight: bold; }
.empty { color: #475569; font-style: italic; }
.infos { color: #334155; }
footer { margin-top: 32px; color: #64748b; font-size: 12px; }
`;

/** The HTML document of the report. */
export function renderHtml(estate: Estate): string {
  const figures = summaryFigures(estate)
    .map(([label, value]) => `<div class="figure"><b>${escapeXml(value)}</b><span>${escapeXml(label)}</span></div>`).join('\n');
  const notes = estate.notes.length === 0 ? '' : `<ul class="notes">${estate.notes.map((n) => `<li>${escapeXml(n)}</li>`).join('')}</ul>`;
  const infos = estate.stacks.flatMap((s) => s.infos.map((i) => `<li><b>${escapeXml(s.name)}</b>: ${escapeXml(i)}</li>`));
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>PKI estate report</title>',
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<h1>PKI estate report</h1>',
    `<p class="source">Cloud assembly: ${escapeXml(estate.source)}</p>`,
    `<div class="figures">${figures}</div>`,
    notes,
    '<h2>Picture</h2>',
    `<div class="picture">${renderSvg(estate)}</div>`,
    renderTable(caTable(estate)),
    renderTable(certificateTable(estate)),
    renderTable(findingTable(estate)),
    renderTable(costTable(estate)),
    infos.length > 0 ? `<p>What the constructs noted at synth time:</p><ul class="infos">${infos.join('')}</ul>` : '',
    '<footer>Written by <code>cdk-pki report</code> from the synthesized templates: values CloudFormation only knows at deploy time read '
      + '"unknown until deploy". The page loads nothing from the network.</footer>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function renderTable(table: Table): string {
  const head = `<h2>${escapeXml(table.title)}</h2>`;
  if (table.rows.length === 0) {
    return `${head}<p class="empty">${escapeXml(table.empty)}</p>`;
  }
  const cell = (lines: string[]) => lines.map((line, i) => {
    if (line === 'unwatched') return '<span class="unwatched">unwatched</span>';
    return i === 0 ? escapeXml(line) : `<div class="sub">${escapeXml(line)}</div>`;
  }).join('');
  return [
    head,
    '<table>',
    `<thead><tr>${table.columns.map((c) => `<th>${escapeXml(c)}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...table.rows.map((row) => `<tr>${row.map((lines) => `<td>${cell(lines)}</td>`).join('')}</tr>`),
    '</tbody>',
    '</table>',
  ].join('\n');
}
