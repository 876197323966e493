import * as fs from 'fs';
import * as path from 'path';
import { LEGACY_ARN, synthEmptyApp, synthEstateApp, synthStageApp, synthTokenApp, tempDir } from './synth-apps';
import { readCloudAssembly, ReportInputError } from '../../src/report/assembly';
import { buildEstate } from '../../src/report/estate';
import { renderHtml } from '../../src/report/html';
import { UNKNOWN } from '../../src/report/intrinsics';
import { renderMarkdown } from '../../src/report/markdown';
import { CaInfo, CertificateInfo, Estate } from '../../src/report/model';
import { writeReport } from '../../src/report/report';

const OUTSIDE_CA = 'arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/12345678-1234-1234-1234-123456789012';

function ca(estate: Estate, id: string): CaInfo {
  const found = estate.cas.find((c) => c.id === id);
  if (!found) throw new Error(`no CA ${id} in ${estate.cas.map((c) => c.id).join(', ')}`);
  return found;
}

function certificate(estate: Estate, id: string): CertificateInfo {
  const found = estate.certificates.find((c) => c.id === id);
  if (!found) throw new Error(`no certificate ${id} in ${estate.certificates.map((c) => c.id).join(', ')}`);
  return found;
}

describe('the estate of a synthesized app', () => {
  let estate: Estate;
  let assemblyDir: string;
  beforeAll(() => {
    assemblyDir = synthEstateApp();
    estate = buildEstate(readCloudAssembly(assemblyDir));
  });

  test('CAs form the hierarchy root → intermediate → issuing, with key algorithm, validity and mode', () => {
    expect(estate.cas.map((c) => [c.id, c.role, c.parentId])).toEqual([
      ['Pki/Root', 'root', undefined],
      ['Pki/Intermediate', 'intermediate', 'Pki/Root'],
      ['Pki/Issuing', 'issuing', 'Pki/Intermediate'],
      ['Pki/ShortLived', 'issuing', 'Pki/Intermediate'],
    ]);
    expect(ca(estate, 'Pki/Root')).toMatchObject({ label: 'Test Root CA', keyAlgorithm: 'RSA_2048', validity: '3650 days (10 years)', usageMode: 'GENERAL_PURPOSE' });
    expect(ca(estate, 'Pki/Issuing')).toMatchObject({ validity: '730 days (2 years)', acmPermission: true, region: 'eu-west-1', stack: 'Pki' });
    expect(ca(estate, 'Pki/ShortLived')).toMatchObject({ usageMode: 'SHORT_LIVED_CERTIFICATE', acmPermission: false });
    expect(ca(estate, 'Pki/Root').renewal).toBe('never automatic: replace the CA certificate before it expires (valid 3650 days (10 years))');
  });

  test('certificates: kind, names, validation and zone, issuer (also across stacks), exports and imports with their targets', () => {
    expect(certificate(estate, 'Pki/Site')).toMatchObject({
      kind: 'public-dns', domains: ['example.com', '*.example.com'], validation: 'DNS', zones: ['example.com'], keyAlgorithm: 'RSA_2048',
    });
    expect(certificate(estate, 'Pki/Mail')).toMatchObject({ kind: 'public-email', validation: 'EMAIL', zones: ['example.org'] });
    expect(certificate(estate, 'Pki/Internal')).toMatchObject({
      kind: 'private', issuerId: 'Pki/Issuing', links: [{ kind: 'secret', label: 'Pki/InternalExport/Secret', id: 'Pki/InternalExport' }],
    });
    expect(certificate(estate, 'Workloads/Api')).toMatchObject({ kind: 'private', issuerId: 'Pki/Issuing', stack: 'Workloads' });
    expect(ca(estate, 'Pki/Issuing').crossStack).toEqual(expect.arrayContaining([expect.stringMatching(/^imported by Workloads \(Fn::ImportValue Pki:/)]));
    expect(certificate(estate, 'Pki/Imported')).toMatchObject({
      kind: 'imported', links: [{ kind: 'source', label: 'certs/legacy-AbCdEf', detail: 'Secrets Manager secret' }],
    });
    expect(certificate(estate, LEGACY_ARN)).toMatchObject({ kind: 'referenced', region: 'eu-west-1', stack: '' });
  });

  test('alarms whose metric names a certificate watch it; the others are unwatched', () => {
    expect(certificate(estate, 'Pki/Site').alarms.map((a) => a.summary)).toEqual([expect.stringMatching(/^DaysToExpiry < \d+$/)]);
    expect(certificate(estate, LEGACY_ARN).alarms).toEqual([{ path: 'Pki/LegacyAlarm', summary: 'DaysToExpiry < 20' }]);
    expect(certificate(estate, 'Pki/Mail').alarms).toEqual([]);
    expect(renderMarkdown(estate)).toMatch(/mail\.example\.org \(public-email; Pki, eu-west-1\) — unwatched; PKI-ACM1, cdk-pki:email-validation/);
  });

  test('PkiChecks findings (from the validation report) and construct warnings are on the node they are about', () => {
    expect(estate.pkiChecksRan).toBe(true);
    const mail = certificate(estate, 'Pki/Mail').findings;
    expect(mail.map((f) => [f.id, f.level, f.source])).toEqual([['PKI-ACM1', 'warning', 'PkiChecks'], ['cdk-pki:email-validation', 'warning', 'synth']]);
    expect(mail[0].path).toBe('Pki/Mail/Resource');
    expect(certificate(estate, 'Pki/Site').findings).toEqual([]);
  });

  test('renewal eligibility as far as the template tells', () => {
    expect(certificate(estate, 'Pki/Internal').renewal).toBe('eligible: exported; ACM renews from 60 days before expiry');
    expect(certificate(estate, 'Workloads/Api').renewal).toMatch(/^eligible once in use by an AWS service or exported/);
    expect(certificate(estate, 'Pki/Mail').renewal).toMatch(/^needs approval/);
    expect(certificate(estate, 'Pki/Imported').renewal).toMatch(/^never renewed by ACM/);
    expect(certificate(estate, LEGACY_ARN).renewal).toBe('unknown: created outside this app');
  });

  test('the cost estimate counts CAs by usage mode with the library\'s prices', () => {
    expect(estate.costs).toEqual([expect.objectContaining({ stack: 'Pki', generalPurposeCas: 3, shortLivedCas: 1, monthlyUsd: 3 * 400 + 50 })]);
    expect(estate.costs[0].summary).toMatch(/^this stack creates 3 general-purpose CAs and 1 short-lived CA: about \$1,250 per month/);
  });

  test('the HTML is self-contained and has one SVG node per CA and per certificate', () => {
    const html = renderHtml(estate);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|@font-face|url\((?!#)|\bsrc=|\bhref=/i);
    expect(html.match(/data-kind="ca"/g)).toHaveLength(estate.cas.length);
    expect(html.match(/data-kind="certificate"/g)).toHaveLength(estate.certificates.length);
    expect(html).toContain('data-id="Pki/InternalExport"');
  });

  test('writeReport writes both files into the assembly folder by default', () => {
    const written = writeReport(assemblyDir);
    expect(written.html).toBe(path.join(assemblyDir, 'pki-report.html'));
    expect(fs.readFileSync(written.markdown, 'utf8')).toMatch(/^# PKI estate report/);
  });
});

describe('values unknown at synth time', () => {
  let estate: Estate;
  beforeAll(() => {
    estate = buildEstate(readCloudAssembly(synthTokenApp()));
  });

  test('a parameter, an environment-agnostic stack and an issuer built with Fn::Join read "unknown until deploy"', () => {
    expect(certificate(estate, 'Agnostic/FromParameter')).toMatchObject({ domains: [`${UNKNOWN} (parameter DomainName)`], region: UNKNOWN });
    const joined = certificate(estate, 'Agnostic/JoinedIssuer');
    expect(joined.issuerId).toBeUndefined();
    expect(joined.renewal).toContain(`its CA, ${UNKNOWN}`);
    expect(estate.stacks[0]).toMatchObject({ region: UNKNOWN, account: UNKNOWN });
    expect(estate.notes).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Environment-agnostic stack\(s\) Agnostic/),
      expect.stringMatching(/PkiChecks did not run/),
    ]));
  });

  test('a CA outside the app by ARN, a raw CfnCertificateAuthority, and a stack output exporting it', () => {
    expect(certificate(estate, 'Agnostic/OutsideIssuer').issuerId).toBe(OUTSIDE_CA);
    expect(ca(estate, OUTSIDE_CA)).toMatchObject({ role: 'external', renewal: 'unknown: outside this app' });
    expect(ca(estate, 'Agnostic/RawCa')).toMatchObject({
      role: 'root', keyAlgorithm: 'EC_secp384r1', usageMode: 'SHORT_LIVED_CERTIFICATE', crossStack: ['exported by Agnostic as raw-ca-arn (output CaArn)'],
    });
    expect(estate.costs).toEqual([expect.objectContaining({ generalPurposeCas: 0, shortLivedCas: 1, monthlyUsd: 50 })]);
  });

  test('names are escaped in HTML and Markdown', () => {
    expect(renderHtml(estate)).toContain('Raw &lt;CA&gt; &amp; Co');
    expect(renderHtml(estate)).not.toContain('Raw <CA>');
    expect(renderMarkdown(estate)).toContain('Raw \\<CA\\> & Co');
  });
});

describe('a stage', () => {
  test('stacks of nested assemblies, a CA without ACM permission, a certificate issued by Private CA directly', () => {
    const estate = buildEstate(readCloudAssembly(synthStageApp()));
    expect(estate.stacks.map((s) => s.name)).toEqual(['Prod/Pki']);
    expect(ca(estate, 'Prod/Pki/Root')).toMatchObject({ role: 'root', acmPermission: true, stack: 'Prod/Pki' });
    expect(ca(estate, 'Prod/Pki/Bare')).toMatchObject({ role: 'root', acmPermission: false });
    expect(certificate(estate, 'Prod/Pki/Raw').renewal).toBe('not renewed: the CA Bare Root CA gives ACM no permission (AWS::ACMPCA::Permission) to issue and renew');
    expect(certificate(estate, 'Prod/Pki/Direct')).toMatchObject({ kind: 'issued-by-ca', issuerId: 'Prod/Pki/Bare', renewal: 'never renewed by ACM: issued by Private CA directly' });
    expect(certificate(estate, 'Prod/Pki/Leaf').findings.map((f) => f.id)).toEqual(['PKI-PCA7']);
  });
});

describe('bad input', () => {
  test('a missing folder, a file, a folder without manifest.json and a broken manifest name the path and the fix', () => {
    const dir = tempDir('bad');
    expect(() => readCloudAssembly(path.join(dir, 'nope'))).toThrow(new ReportInputError(
      `${path.join(dir, 'nope')} does not exist: synthesize the app first (npx cdk synth) or pass the folder of its cloud assembly`));
    fs.writeFileSync(path.join(dir, 'file.txt'), 'x');
    expect(() => readCloudAssembly(path.join(dir, 'file.txt'))).toThrow(/file\.txt is not a folder: pass the folder of a cloud assembly/);
    expect(() => readCloudAssembly(dir)).toThrow(`${dir} is not a cloud assembly (no manifest.json): pass the folder cdk synth writes`);
    fs.writeFileSync(path.join(dir, 'manifest.json'), '{ "version": ');
    expect(() => readCloudAssembly(dir)).toThrow(`${path.join(dir, 'manifest.json')} is not valid JSON: synthesize the app again`);
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '54.0.0', artifacts: { S: { type: 'aws:cloudformation:stack', properties: { templateFile: 'S.template.json' } } } }));
    expect(() => readCloudAssembly(dir)).toThrow(`${path.join(dir, 'S.template.json')} cannot be read: synthesize the app again`);
  });

  test('an app with no stacks gives a report that says so', () => {
    const estate = buildEstate(readCloudAssembly(synthEmptyApp()));
    expect(estate.stacks).toEqual([]);
    expect(estate.notes).toEqual(['This cloud assembly has no stacks: the app defines none, or its synthesis stopped early.']);
    expect(renderHtml(estate)).toContain('No stacks in this cloud assembly.');
    expect(renderMarkdown(estate)).toContain('No certificate authorities.');
  });

  test('an output folder that cannot be written', () => {
    const dir = synthEmptyApp();
    const file = path.join(dir, 'occupied');
    fs.writeFileSync(file, 'x');
    expect(() => writeReport(dir, file)).toThrow(/^cannot write the report into .*occupied \(.*\): pass a writable folder with --out$/);
  });
});
