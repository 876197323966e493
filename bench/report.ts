import { MAX_RESOURCES, MAX_TEMPLATE_BYTES } from './protocol';
import { AppMeasurement, BenchResults, TARGETS } from './results-model';

const ms = (v: number) => `${Math.round(v).toLocaleString('en-US')}`;
const mb = (v: number) => v.toFixed(0);
const kb = (v: number) => (v / 1024).toFixed(1);
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a');
const int = (v: number) => Math.round(v).toLocaleString('en-US');

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function appCells(side: string, m: AppMeasurement): string[] {
  return [side, `${m.stacks}`, int(m.resources), `${m.maxStackResources}`, kb(m.maxStackBytes),
    ms(m.buildMs), ms(m.buildCpuMs), ms(m.synthMs), `${m.synthSpread.toFixed(2)}x`, ms(m.synthCpuMs),
    (m.synthCpuMs / m.resources).toFixed(2), mb(m.maxRssMb)];
}

function ratioCells(label: string, a: AppMeasurement, b: AppMeasurement): string[] {
  return [label, '', ratio(a.resources, b.resources), '', ratio(a.maxStackBytes, b.maxStackBytes),
    ratio(a.buildMs, b.buildMs), ratio(a.buildCpuMs, b.buildCpuMs), ratio(a.synthMs, b.synthMs), '', ratio(a.synthCpuMs, b.synthCpuMs),
    ratio(a.synthCpuMs / a.resources, b.synthCpuMs / b.resources), ratio(a.maxRssMb, b.maxRssMb)];
}

/** The ratio verdicts of item 1, as lines (also used for the console summary). */
export function targetLines(r: BenchResults): string[] {
  const lines: string[] = [];
  for (const row of r.comparison) {
    const same = row.ours.synthMs / row.rawExport.synthMs;
    const full = row.ours.synthMs / row.raw.synthMs;
    const like = row.oursNoExport.synthMs / row.raw.synthMs;
    lines.push(`${row.certificates} certificates: synth wall clock ours/raw-with-hand-written-export ${same.toFixed(2)}x (target <= ${TARGETS.synthRatio}x: ` +
      `${same <= TARGETS.synthRatio ? 'met' : 'MISSED'}; CPU ${ratio(row.ours.synthCpuMs, row.rawExport.synthCpuMs)}); ` +
      `without export on both sides ${like.toFixed(2)}x (${like <= TARGETS.synthRatio ? 'met' : 'MISSED'}; CPU ` +
      `${ratio(row.oursNoExport.synthCpuMs, row.raw.synthCpuMs)}); ours/raw-without-export ${full.toFixed(2)}x; ` +
      `peak memory ours/raw-with-export ${ratio(row.ours.maxRssMb, row.rawExport.maxRssMb)}`);
  }
  const at = (n: number) => r.comparison.find((c) => c.certificates === n);
  const c100 = at(100);
  const c1000 = at(1000);
  if (c100 && c1000) {
    const s = c1000.ours.synthMs / c100.ours.synthMs;
    const sr = c1000.raw.synthMs / c100.raw.synthMs;
    lines.push(`scaling 1,000 vs 100 certificates, synth wall clock: ours ${s.toFixed(2)}x (target <= ${TARGETS.scaling}x: ` +
      `${s <= TARGETS.scaling ? 'met' : 'MISSED'}; CPU ${ratio(c1000.ours.synthCpuMs, c100.ours.synthCpuMs)}), ` +
      `raw ${sr.toFixed(2)}x (CPU ${ratio(c1000.raw.synthCpuMs, c100.raw.synthCpuMs)})`);
  } else {
    lines.push('scaling 1,000 vs 100 certificates: not measured in this run (needs both sizes)');
  }
  return lines;
}

/** The whole report as Markdown. */
export function renderMarkdown(r: BenchResults): string {
  const m = r.machine;
  const out: string[] = [];
  out.push('# cdk-pki benchmark results', '');
  out.push(`${m.date}, commit ${m.commit}; ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; Node ${m.node} (${m.platform}); aws-cdk-lib ${m.awsCdkLib}.`);
  out.push(`Runs per app: ${r.config.runs} (medians shown); import runs per bundle: ${r.config.importRuns}` +
    `${r.config.quick ? '; QUICK MODE (not for publication)' : ''}.`);
  out.push(`The machine is shared with other work: 1-minute load average ${m.loadAverage.start.toFixed(1)} at the start, ` +
    `${m.loadAverage.end.toFixed(1)} at the end, on ${m.cores} cores. Wall-clock times are therefore noisy ("synth spread" = ` +
    'slowest / fastest run); CPU times are steadier but still inflated by contention. Compare ratios within this run, ' +
    'not absolute times across runs.', '');

  out.push('## 1. Synth time and peak memory: cdk-pki vs aws-cdk-lib only', '');
  out.push('Half public certificates (DNS in a hosted zone), half private (from one hierarchy, root + 1 issuing CA, ' +
    `in a shared stack), ${r.config.perStack} certificates per stack, one CertificateMonitor per stack; "ours" also ` +
    'exports every private certificate (CertificateExport), which aws-cdk-lib has no construct for: "raw + hand-written ' +
    'export" adds what a user would write for it (per stack a KMS key and a Lambda behind a Provider; per certificate two ' +
    'secrets, a custom resource and a renewal rule), and "ours, no export" vs "raw" compares the apps without export. Build = constructors (first use of each aws-cdk-lib module loads it, so build includes module ' +
    'loading); synth = wall clock of `app.synth()`; synth CPU = user + system CPU time of `app.synth()` (steadier than ' +
    'wall clock on a busy machine); memory = the child process\'s maxRSS. Medians.', '');
  const rows: string[][] = [];
  for (const row of r.comparison) {
    rows.push([`${row.certificates}`, ...appCells('ours', row.ours)]);
    rows.push([`${row.certificates}`, ...appCells('ours, no export', row.oursNoExport)]);
    rows.push([`${row.certificates}`, ...appCells('raw aws-cdk-lib', row.raw)]);
    rows.push([`${row.certificates}`, ...appCells('raw + hand-written export', row.rawExport)]);
    rows.push([`${row.certificates}`, ...ratioCells('ratio ours/raw+export', row.ours, row.rawExport)]);
    rows.push([`${row.certificates}`, ...ratioCells('ratio ours/raw', row.ours, row.raw)]);
    rows.push([`${row.certificates}`, ...ratioCells('ratio no-export/raw', row.oursNoExport, row.raw)]);
  }
  out.push(table(['certs', 'app', 'stacks', 'resources', 'max res./stack', 'max KiB/stack', 'build ms', 'build CPU ms', 'synth ms',
    'synth spread', 'synth CPU ms', 'synth CPU ms/resource', 'peak RSS MiB'], rows), '');
  out.push('Targets:', '', ...targetLines(r).map((l) => `- ${l}`), '');

  out.push('## 2. Resources and template bytes per certificate', '');
  out.push(`A stack with 1 and with ${r.config.unitCount} units of each; the difference gives the cost per unit, the rest ` +
    `is the stack's fixed cost. Fit = units per stack within ${MAX_RESOURCES} resources and ${int(MAX_TEMPLATE_BYTES)} template bytes.`, '');
  out.push(table(['construct', 'resources / unit', 'bytes / unit', 'fixed resources', 'fixed bytes', 'fit (resources)', 'fit (bytes)', 'fit', 'note'],
    r.units.map((u) => u.error
      ? [u.name, '-', '-', '-', '-', '-', '-', '-', `not measured: ${u.error}`]
      : [u.name, u.resourcesPerUnit.toFixed(2), int(u.bytesPerUnit), `${u.fixedResources}`, int(u.fixedBytes),
        int(u.fitByResources), int(u.fitByBytes), int(Math.min(u.fitByResources, u.fitByBytes)), u.note])), '');

  out.push('## 3. Lambda bundles and 4. cold import time', '');
  out.push('Bundles under `assets/handlers/` (built by `npx projen bundle`). Import = `require()` of each bundle in a ' +
    'fresh node process (module-scope SDK clients included; @aws-sdk/* is external to the bundles and comes from the ' +
    `repository's node_modules, not the Lambda runtime's), median of ${r.config.importRuns}.`, '');
  out.push(table(['bundle', 'bytes', 'gzip bytes', 'import ms (median)', 'import CPU ms (median)', 'runs ms'],
    r.bundles.map((b) => [b.bundle.replace(/^assets\/handlers\//, ''), int(b.bytes), int(b.gzipBytes), b.importMs.toFixed(1),
      b.importCpuMs.toFixed(1), b.importRuns.map((t) => t.toFixed(1)).join(', ')])), '');

  const h = r.hierarchy.measurement;
  out.push(`## 5. PrivateCaHierarchy with ${r.hierarchy.issuingCas} issuing CAs`, '');
  out.push(table(['stacks', 'resources', 'template KiB', 'build ms', 'synth ms', 'synth spread', 'synth CPU ms', 'peak RSS MiB', 'fits one stack'],
    [[`${h.stacks}`, `${h.resources}`, kb(h.totalBytes), ms(h.buildMs), ms(h.synthMs), `${h.synthSpread.toFixed(2)}x`, ms(h.synthCpuMs), mb(h.maxRssMb),
      h.maxStackResources <= MAX_RESOURCES && h.maxStackBytes <= MAX_TEMPLATE_BYTES ? 'yes' : 'NO']]), '');
  return out.join('\n');
}
