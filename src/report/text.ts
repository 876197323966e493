/**
 * Text helpers of the report: escaping for HTML/SVG and Markdown, and text widths estimated without
 * a browser (per-character advances close to DejaVu Sans and the common sans-serif fonts, rounded
 * up), so labels can be cut to fit their boxes.
 *
 * Internal to the report (not exported from the package index).
 */

const NARROW = new Set([...'iljI.,:;\'|!()[] ·']);
const SLIM = new Set([...'rtf-/']);
const MEDIUM = new Set([...'sczvyxkJ']);
const WIDE = new Set([...'mwMW@%']);

/** The estimated width in pixels of `text` at `size` pixels (bold adds 12 %). */
export function textWidth(text: string, size: number, bold = false): number {
  let em = 0;
  for (const ch of text) {
    if (NARROW.has(ch)) em += 0.3;
    else if (SLIM.has(ch)) em += 0.42;
    else if (MEDIUM.has(ch)) em += 0.55;
    else if (WIDE.has(ch)) em += 0.92;
    else if (ch >= 'A' && ch <= 'Z') em += 0.72;
    else if (ch.charCodeAt(0) > 0x2000) em += 0.8;
    else em += 0.63;
  }
  return em * size * (bold ? 1.12 : 1);
}

/** `text` cut with an ellipsis so that it fits `width` pixels. */
export function fit(text: string, width: number, size: number, bold = false): string {
  if (textWidth(text, size, bold) <= width) return text;
  let cut = text;
  while (cut.length > 1 && textWidth(`${cut}…`, size, bold) > width) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/** The font size of badge text, and the gap between badges. */
export const BADGE_SIZE = 10;
export const BADGE_GAP = 6;

/** The width of a badge with `text`. */
export function badgeWidth(text: string): number {
  return Math.ceil(textWidth(text, BADGE_SIZE, true)) + 12;
}

/** Escapes text for HTML and SVG (content and attribute values). */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Escapes text for a Markdown table cell or list item. */
export function escapeMarkdown(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/([*_`<>[\]])/g, '\\$1').replace(/\n/g, ' ');
}
