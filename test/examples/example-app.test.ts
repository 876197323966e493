import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildExampleApp } from '../../examples/app';
import { lintTemplates } from '../harness/cfn-lint';

describe('examples/app.ts (the README\'s first command)', () => {
  test('synthesizes without errors, its templates pass cfn-lint, and its warnings are the expected ones', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-pki-example-test-'));
    const assembly = buildExampleApp(outdir).synth();
    expect(assembly.stacks.map((s) => s.stackName)).toEqual(['WebCertificates']);
    const stack = assembly.stacks[0];
    const types = Object.values<{ Type: string }>(stack.template.Resources).map((r) => r.Type);
    expect(types.filter((t) => t === 'AWS::CertificateManager::Certificate')).toHaveLength(4);
    expect(stack.messages.filter((m) => m.level === 'error')).toEqual([]);
    expect(stack.messages.filter((m) => m.level === 'warning').map((m) => m.id)).toEqual(['/WebCertificates/MailCertificate']);
    const files = [path.join(outdir, stack.templateFile)];
    expect(lintTemplates(files).filter((f) => f.level === 'Error')).toEqual([]);
  });
});
