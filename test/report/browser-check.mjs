// Loads a report in headless Chromium and prints what test/report/browser.test.ts asserts on, as JSON.
// A separate ES module because puppeteer-core is ESM-only and jest's module system cannot load it.
// Usage: node browser-check.mjs <chromium> <report.html> <screenshot.png> [<docs-image.png>]
import puppeteer from 'puppeteer-core';
import { pathToFileURL } from 'node:url';

const [chromium, html, screenshot, docsImage] = process.argv.slice(2);
const url = pathToFileURL(html).href;
const browser = await puppeteer.launch({ executablePath: chromium, args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 900 });
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warn') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${String(e)}`));
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.url() === url) {
      void request.continue();
    } else {
      problems.push(`request: ${request.url()}`);
      void request.abort();
    }
  });
  await page.goto(url, { waitUntil: 'load' });
  const picture = await page.evaluate(() => {
    const boxes = [...document.querySelectorAll('svg g.node')].map((g) => {
      const rect = g.querySelector('rect');
      const box = { x: rect.x.baseVal.value, y: rect.y.baseVal.value, w: rect.width.baseVal.value, h: rect.height.baseVal.value };
      // Each label and badge must end inside its box, with the fonts the browser really uses.
      const overflowing = [...g.querySelectorAll('text')]
        .filter((t) => { const b = t.getBBox(); return b.x < box.x || b.x + b.width > box.x + box.w + 0.5; })
        .map((t) => t.textContent);
      return { kind: g.dataset.kind, id: g.dataset.id, ...box, overflowing };
    });
    return { boxes, edges: document.querySelectorAll('svg path.edge').length };
  });
  await page.screenshot({ path: screenshot, fullPage: true });
  if (docsImage) {
    const bottom = await page.evaluate(() => document.querySelector('.picture').getBoundingClientRect().bottom + 16);
    await page.screenshot({ path: docsImage, clip: { x: 0, y: 0, width: 1400, height: bottom } });
  }
  process.stdout.write(JSON.stringify({ problems, ...picture }));
} finally {
  await browser.close();
}
