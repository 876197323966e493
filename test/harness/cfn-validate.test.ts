import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { writeTemplates } from './cfn-lint';
import { isBlocking, validateTemplateFiles } from './cfn-validate';

function files(label: string, build: (stack: Stack) => void): string[] {
  const app = new App();
  const stack = new Stack(app, label);
  build(stack);
  return writeTemplates(`harness-validate-${label}`, [{ name: label, template: app.synth().getStackByName(label).template }]);
}

describe('@aws/cloudformation-validate helper', () => {
  test('a valid certificate has no blocking finding', async () => {
    const f = files('Good', (s) => new CfnResource(s, 'Cert', {
      type: 'AWS::CertificateManager::Certificate',
      properties: { DomainName: 'example.com', ValidationMethod: 'DNS' },
    }));
    expect((await validateTemplateFiles(f)).filter(isBlocking)).toEqual([]);
  });

  test('a missing required and an unknown property are blocking findings naming the resource', async () => {
    const f = files('Bad', (s) => new CfnResource(s, 'Cert', {
      type: 'AWS::CertificateManager::Certificate',
      properties: { ValidationMethod: 'DNS', NoSuchProperty: true },
    }));
    const blocking = (await validateTemplateFiles(f)).filter(isBlocking);
    expect(blocking).toContainEqual(expect.objectContaining({ resource: 'Cert', message: expect.stringContaining('DomainName') }));
    expect(blocking).toContainEqual(expect.objectContaining({ resource: 'Cert', message: expect.stringContaining('NoSuchProperty') }));
  });
});
