import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { distinctTemplates, lintTemplateObjects, lintTemplates, lintTemplatesWithCommand, writeTemplates } from './cfn-lint';

describe('cfn-lint helper', () => {
  test('a valid template has no error', async () => {
    const stack = new Stack(new App(), 'Good');
    new CfnResource(stack, 'Cert', { type: 'AWS::CertificateManager::Certificate', properties: { DomainName: 'example.com', ValidationMethod: 'DNS' } });
    const findings = await lintTemplateObjects('harness-good', [{ name: 'good', template: stackTemplate(stack) }]);
    expect(findings.filter((f) => f.level === 'Error')).toEqual([]);
  });

  test('a missing required property is an Error finding with rule, path and message', async () => {
    const stack = new Stack(new App(), 'Bad');
    new CfnResource(stack, 'Cert', { type: 'AWS::CertificateManager::Certificate', properties: { ValidationMethod: 'DNS' } });
    const findings = await lintTemplateObjects('harness-bad', [{ name: 'bad', template: stackTemplate(stack) }]);
    expect(findings).toContainEqual(expect.objectContaining({
      level: 'Error',
      rule: 'E3003',
      path: 'Resources/Cert/Properties',
      message: expect.stringContaining("'DomainName' is a required property"),
    }));
  });

  test('an unknown resource type is an error too', async () => {
    const stack = new Stack(new App(), 'Unknown');
    new CfnResource(stack, 'X', { type: 'AWS::CertificateManager::Nope' });
    const findings = await lintTemplateObjects('harness-unknown', [{ name: 'unknown', template: stackTemplate(stack) }]);
    expect(findings.some((f) => f.level === 'Error')).toBe(true);
  });

  test('identical templates are checked once; any difference keeps both', () => {
    const a = { Resources: { X: { Type: 'AWS::SNS::Topic' } } };
    const templates = [
      { name: 'first', template: a },
      { name: 'same', template: JSON.parse(JSON.stringify(a)) },
      { name: 'other', template: { Resources: { X: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 't' } } } } },
    ];
    expect(distinctTemplates(templates).map((t) => t.name)).toEqual(['first', 'other']);
  });

  test('the cfn-lint server of the jest worker answers exactly what the cfn-lint command prints', async () => {
    expect(process.env.CFN_LINT_ENDPOINTS).toBeDefined();
    const bad = new Stack(new App(), 'ServerBad');
    new CfnResource(bad, 'Cert', { type: 'AWS::CertificateManager::Certificate', properties: { ValidationMethod: 'DNS', Nope: 1 } });
    new CfnResource(bad, 'Ca', { type: 'AWS::ACMPCA::CertificateAuthority', properties: { Type: 'ROOT' } });
    const files = writeTemplates('harness-server', [{ name: 'bad', template: stackTemplate(bad) }]);
    const fromServer = await lintTemplates(files);
    expect(fromServer.filter((f) => f.level === 'Error').length).toBeGreaterThanOrEqual(3);
    expect(fromServer).toEqual(lintTemplatesWithCommand(files));
  });
});

function stackTemplate(stack: Stack): unknown {
  return (stack.node.root as App).synth().getStackByName(stack.stackName).template;
}
