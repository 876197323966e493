import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from './synth-apps';
import { synthesizeExample } from '../../examples/run';
import { writeReport } from '../../src/report/report';

/**
 * The example app's report in a real headless Chromium (Debian's package, driven by puppeteer-core in
 * browser-check.mjs, a child process): it loads with no console
 * error and no request beyond its own file, the SVG has one box per CA and per certificate, no two
 * boxes overlap and every label fits its box (measured with the real fonts), and a screenshot is saved
 * in test-reports/. `UPDATE_DOCS_IMAGE=1` also rewrites docs/estate-report.png (the README's image).
 *
 * Without Chromium the test is skipped, except on CI (CI=true), where it must run.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = path.join(__dirname, '..', '..');
/** What browser-check.mjs prints. */
interface BrowserCheck {
  readonly problems: string[];
  readonly boxes: { kind: string; id: string; x: number; y: number; w: number; h: number; overflowing: string[] }[];
  readonly edges: number;
}

const runs = fs.existsSync(CHROMIUM) || process.env.CI === 'true';
if (!runs) {
  process.stderr.write(`report browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)\n`);
}

(runs ? describe : describe.skip)('the estate report of the example app in headless Chromium', () => {
  test('loads cleanly offline, one SVG node per CA and certificate, no overlap, labels fit; screenshot saved', async () => {
    const outdir = tempDir('browser');
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined); // "Performing Policy Validations"
    try {
      synthesizeExample(outdir);
    } finally {
      quiet.mockRestore();
    }
    const { html, estate } = writeReport(outdir);

    fs.mkdirSync(path.join(ROOT, 'test-reports'), { recursive: true });
    const screenshot = path.join(ROOT, 'test-reports', 'estate-report.png');
    const docsImage = process.env.UPDATE_DOCS_IMAGE === '1' ? [path.join(ROOT, 'docs', 'estate-report.png')] : [];
    const check = spawnSync(process.execPath, [path.join(__dirname, 'browser-check.mjs'), CHROMIUM, html, screenshot, ...docsImage], { encoding: 'utf8', timeout: 60_000 });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    const picture: BrowserCheck = JSON.parse(check.stdout);

    expect(picture.problems).toEqual([]);
    const ids = (kind: string) => picture.boxes.filter((b) => b.kind === kind).map((b) => b.id).sort();
    expect(ids('ca')).toEqual(estate.cas.map((c) => c.id).sort());
    expect(ids('certificate')).toEqual(estate.certificates.map((c) => c.id).sort());
    expect(ids('ca').length).toBeGreaterThanOrEqual(4);
    expect(picture.boxes.filter((b) => b.overflowing.length > 0).map((b) => `${b.id}: ${b.overflowing.join(' | ')}`)).toEqual([]);
    const overlaps = picture.boxes.flatMap((a, i) => picture.boxes.slice(i + 1)
      .filter((b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h)
      .map((b) => `${a.id} / ${b.id}`));
    expect(overlaps).toEqual([]);
    expect(picture.edges).toBeGreaterThan(0);
    expect(fs.statSync(screenshot).size).toBeGreaterThan(10_000);
  });
});
