import * as fs from 'fs';
import * as path from 'path';
import { readCloudAssembly, ReportInputError } from './assembly';
import { buildEstate } from './estate';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';
import { Estate } from './model';

/**
 * Writes the estate report of a cloud assembly: `pki-report.html` and `pki-report.md`.
 *
 * Internal to the report (not exported from the package index); `cli.ts` and the example app call it.
 */

/** The file names of the report. */
export const HTML_FILE = 'pki-report.html';
export const MARKDOWN_FILE = 'pki-report.md';

/** What `writeReport` wrote. */
export interface WrittenReport {
  readonly html: string;
  readonly markdown: string;
  readonly estate: Estate;
}

/**
 * Reads the cloud assembly in `assemblyDir` and writes the report into `outDir` (default: the
 * assembly folder itself, which `cdk synth` rewrites and git usually ignores).
 *
 * @throws ReportInputError for a missing folder, a folder that is not a cloud assembly, or an output folder that cannot be written
 */
export function writeReport(assemblyDir: string, outDir?: string): WrittenReport {
  const estate = buildEstate(readCloudAssembly(assemblyDir));
  const dir = path.resolve(outDir ?? estate.source);
  const html = path.join(dir, HTML_FILE);
  const markdown = path.join(dir, MARKDOWN_FILE);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(html, renderHtml(estate));
    fs.writeFileSync(markdown, renderMarkdown(estate));
  } catch (e) {
    throw new ReportInputError(`cannot write the report into ${dir} (${(e as Error).message.split('\n')[0]}): pass a writable folder with --out`);
  }
  return { html, markdown, estate };
}
