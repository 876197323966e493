import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { lintTemplateObjects } from './cfn-lint';

describe('cfn-lint helper', () => {
  test('a valid template has no error', () => {
    const stack = new Stack(new App(), 'Good');
    new CfnResource(stack, 'Cert', { type: 'AWS::CertificateManager::Certificate', properties: { DomainName: 'example.com', ValidationMethod: 'DNS' } });
    const findings = lintTemplateObjects('harness-good', [{ name: 'good', template: stackTemplate(stack) }]);
    expect(findings.filter((f) => f.level === 'Error')).toEqual([]);
  });

  test('a missing required property is an Error finding with rule, path and message', () => {
    const stack = new Stack(new App(), 'Bad');
    new CfnResource(stack, 'Cert', { type: 'AWS::CertificateManager::Certificate', properties: { ValidationMethod: 'DNS' } });
    const findings = lintTemplateObjects('harness-bad', [{ name: 'bad', template: stackTemplate(stack) }]);
    expect(findings).toContainEqual(expect.objectContaining({
      level: 'Error',
      rule: 'E3003',
      path: 'Resources/Cert/Properties',
      message: expect.stringContaining("'DomainName' is a required property"),
    }));
  });

  test('an unknown resource type is an error too', () => {
    const stack = new Stack(new App(), 'Unknown');
    new CfnResource(stack, 'X', { type: 'AWS::CertificateManager::Nope' });
    const findings = lintTemplateObjects('harness-unknown', [{ name: 'unknown', template: stackTemplate(stack) }]);
    expect(findings.some((f) => f.level === 'Error')).toBe(true);
  });
});

function stackTemplate(stack: Stack): unknown {
  return (stack.node.root as App).synth().getStackByName(stack.stackName).template;
}
