import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { buildExampleApp } from '../../examples/app';
import { PkiChecks } from '../../src';
import { lintTemplates } from '../harness/cfn-lint';

describe('examples/app.ts (the README\'s first command)', () => {
  test('synthesizes without errors, its templates pass cfn-lint, and its warnings are the expected ones', async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-pki-example-test-'));
    const app = buildExampleApp(outdir);
    const assembly = app.synth();
    // PkiChecks: only the two deliberate demonstrations (email validation, an exportable certificate nothing exports).
    const pkiFindings = app.node.children.filter((c): c is Stack => c instanceof Stack).flatMap((st) =>
      new PkiChecks().validateScope(st).violations.flatMap((v) => v.violatingResources.map((r) => `${v.severity} ${v.ruleName} ${r.constructPath}`)));
    expect(pkiFindings.sort()).toEqual(['warning PKI-ACM1 WebCertificates/MailCertificate/Resource', 'warning PKI-ACM7 WebCertificates/EdgeHostCertificate/Resource']);
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(['EdgeDelivery', 'InternalPki', 'WebCertificates']);
    const stack = assembly.getStackByName('WebCertificates');
    const pki = assembly.getStackByName('InternalPki');
    const types = Object.values<{ Type: string }>(stack.template.Resources).map((r) => r.Type);
    expect(types.filter((t) => t === 'AWS::CertificateManager::Certificate')).toHaveLength(4);
    expect(stack.messages.filter((m) => m.level === 'error')).toEqual([]);
    expect(stack.messages.filter((m) => m.level === 'warning').map((m) => m.id)).toEqual(['/WebCertificates/MailCertificate']);
    const pkiTypes = Object.values<{ Type: string }>(pki.template.Resources).map((r) => r.Type);
    expect(pkiTypes.filter((t) => t === 'AWS::ACMPCA::CertificateAuthorityActivation')).toHaveLength(4);
    expect(pkiTypes.filter((t) => t === 'AWS::ACMPCA::Permission')).toHaveLength(2);
    expect(pkiTypes.filter((t) => t === 'AWS::CertificateManager::Certificate')).toHaveLength(1);
    expect(pki.messages.filter((m) => m.level === 'error')).toEqual([]);
    const edge = assembly.getStackByName('EdgeDelivery');
    const edgeResources = Object.values<{ Type: string; Properties: any }>(edge.template.Resources);
    const cdnCertificate = edgeResources.find((r) => r.Type === 'Custom::CdkPkiDnsValidatedCertificate')!;
    expect(cdnCertificate.Properties.Region).toBe('us-east-1');
    expect(edgeResources.filter((r) => r.Type === 'AWS::CloudFront::Distribution')).toHaveLength(1);
    expect(edge.messages.filter((m) => m.level === 'error')).toEqual([]);
    // Issue 17: a cost estimate on each stack that creates CAs or exportable certificates, and the short-lived hint.
    const costInfo = (s: typeof stack) => s.messages.filter((m) => m.level === 'info' && String(m.entry.data).startsWith('cdk-pki cost'))
      .map((m) => `${m.id}: ${String(m.entry.data).replace(/^cdk-pki cost (estimate|hint): /, '')}`);
    expect(costInfo(pki)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^\/InternalPki: this stack creates 4 general-purpose CAs: about \$1,600 per month before per-certificate charges/),
      expect.stringMatching(/^\/InternalPki\/Pki\/DevicesCa: /),
    ]));
    expect(costInfo(pki)).toHaveLength(2);
    expect(costInfo(stack)).toEqual([expect.stringMatching(/^\/WebCertificates: this stack requests 1 exportable public certificate \(1 name\): about \$7 at issuance/)]);
    expect(costInfo(edge)).toEqual([]);
    const files = [stack, pki, edge].map((s) => path.join(outdir, s.templateFile));
    expect((await lintTemplates(files)).filter((f) => f.level === 'Error')).toEqual([]);
  });
});
