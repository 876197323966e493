import { App, Aws, Lazy, Resource, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import { Construct } from 'constructs';
import { CertificateAuthorityPolicy, CertificateAuthorityPolicyProps } from '../../src/private-ca/ca-policy';
import { CaSharePrincipal } from '../../src/private-ca/ca-share-principal';
import { CertificateTemplate } from '../../src/private-ca/certificate-template';
import { RootCa } from '../../src/private-ca/root-ca';
import { validateCaPolicyText } from '../../src/validation/policy-text';
import { synthTemplate } from '../harness/cfn-lint';

const TYPE = 'Custom::CdkPkiCaPolicy';
const CA_ARN = 'arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/01234567-89ab-cdef-0123-456789abcdef';
const READ = ['acm-pca:DescribeCertificateAuthority', 'acm-pca:GetCertificate', 'acm-pca:GetCertificateAuthorityCertificate', 'acm-pca:ListPermissions', 'acm-pca:ListTags'];
const END_ENTITY = 'arn:aws:acm-pca:::template/EndEntityCertificate/V1';

const accounts = (...ids: string[]) => ids.map((id) => CaSharePrincipal.account(id));

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
}

function imported(stack: Stack, arn = CA_ARN, id = 'Ca'): acmpca.ICertificateAuthority {
  return acmpca.CertificateAuthority.fromCertificateAuthorityArn(stack, id, arn);
}

function policyOf(template: Template, index = 0): any {
  const resources = Object.values(template.findResources(TYPE)) as any[];
  return JSON.parse(resources[index].Properties.Policy);
}

/** A CA built from L1 resources that creates its policy as a child, the way the library's CA classes do. */
class TestCa extends Resource implements acmpca.ICertificateAuthority {
  public readonly certificateAuthorityArn: string;
  constructor(scope: Construct, id: string, policy: Omit<CertificateAuthorityPolicyProps, 'certificateAuthority'>) {
    super(scope, id);
    const ca = new acmpca.CfnCertificateAuthority(this, 'Resource', {
      type: 'ROOT', keyAlgorithm: 'RSA_2048', signingAlgorithm: 'SHA256WITHRSA', subject: { commonName: 'Test CA' },
    });
    this.certificateAuthorityArn = ca.attrArn;
    // Created before the activation on purpose: the dependency must still cover it.
    new CertificateAuthorityPolicy(this, 'Policy', { certificateAuthority: this, ...policy });
    const cert = new acmpca.CfnCertificate(this, 'Certificate', {
      certificateAuthorityArn: ca.attrArn,
      certificateSigningRequest: ca.attrCertificateSigningRequest,
      signingAlgorithm: 'SHA256WITHRSA',
      templateArn: 'arn:aws:acm-pca:::template/RootCACertificate/V1',
      validity: { type: 'YEARS', value: 10 },
    });
    new acmpca.CfnCertificateAuthorityActivation(this, 'Activation', {
      certificateAuthorityArn: ca.attrArn, certificate: cert.attrCertificate, status: 'ACTIVE',
    });
  }
  public get certificateAuthorityRef(): acmpca.CertificateAuthorityReference {
    return { certificateAuthorityArn: this.certificateAuthorityArn };
  }
}

describe('CertificateAuthorityPolicy rendering', () => {
  test('defaults: the read and IssueCertificate statements of the PutPolicy example, EndEntityCertificate/V1 only', () => {
    const stack = newStack();
    const policy = new CertificateAuthorityPolicy(stack, 'Policy', { certificateAuthority: imported(stack), principals: accounts('012345678901') });
    const t = synthTemplate(stack);
    t.resourceCountIs(TYPE, 1);
    t.hasResourceProperties(TYPE, { CertificateAuthorityArn: CA_ARN, Policy: Match.stringLikeRegexp('^\\{') });
    expect(policyOf(t)).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'CdkPkiAccountsRead', Effect: 'Allow', Principal: { AWS: ['012345678901'] }, Resource: CA_ARN, Action: READ },
        {
          Sid: 'CdkPkiAccountsIssue',
          Effect: 'Allow',
          Principal: { AWS: ['012345678901'] },
          Resource: CA_ARN,
          Action: ['acm-pca:IssueCertificate'],
          Condition: { StringEquals: { 'acm-pca:TemplateArn': [END_ENTITY] } },
        },
      ],
    });
    expect(policy.templateArns).toEqual([END_ENTITY]);
    expect(policy.certificateAuthorityArn).toBe(CA_ARN);
  });

  test('an organization is principal * with aws:PrincipalOrgID, next to the accounts', () => {
    const stack = newStack();
    new CertificateAuthorityPolicy(stack, 'Policy', {
      certificateAuthority: imported(stack), principals: [...accounts('012345678901', '210987654321'), CaSharePrincipal.organization('o-a1b2c3d4e5')],
    });
    const statements = policyOf(synthTemplate(stack)).Statement;
    expect(statements.map((s: any) => s.Sid)).toEqual(['CdkPkiAccountsRead', 'CdkPkiAccountsIssue', 'CdkPkiOrganizationRead', 'CdkPkiOrganizationIssue']);
    expect(statements[0].Principal).toEqual({ AWS: ['012345678901', '210987654321'] });
    expect(statements[2]).toMatchObject({ Principal: '*', Action: READ, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } });
    expect(statements[3]).toMatchObject({
      Principal: '*',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5', 'acm-pca:TemplateArn': [END_ENTITY] } },
    });
  });

  test('an organization given by ARN grants its ID', () => {
    const stack = newStack();
    new CertificateAuthorityPolicy(stack, 'Policy', {
      certificateAuthority: imported(stack), principals: [CaSharePrincipal.organization('arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5')],
    });
    const statements = policyOf(synthTemplate(stack)).Statement;
    expect(statements[0]).toMatchObject({ Sid: 'CdkPkiOrganizationRead', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } });
  });

  test('organizational units use ForAnyValue:StringLike on aws:PrincipalOrgPaths', () => {
    const stack = newStack();
    const paths = ['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/', 'o-a1b2c3d4e5/r-ab12/ou-ab12-22222222/*'];
    new CertificateAuthorityPolicy(stack, 'Policy', { certificateAuthority: imported(stack), principals: paths.map((p) => CaSharePrincipal.organizationalUnit(p)) });
    const [read, issue] = policyOf(synthTemplate(stack)).Statement;
    expect(read).toMatchObject({ Sid: 'CdkPkiOrganizationalUnitsRead', Principal: '*', Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': paths } } });
    expect(issue.Condition).toEqual({
      'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': paths },
      'StringEquals': { 'acm-pca:TemplateArn': [END_ENTITY] },
    });
  });

  test('templates: names, versions and ARNs, in the partition of a concrete CA ARN, each once', () => {
    const stack = newStack();
    const cnArn = 'arn:aws-cn:acm-pca:cn-north-1:111111111111:certificate-authority/01234567-89ab-cdef-0123-456789abcdef';
    const policy = new CertificateAuthorityPolicy(stack, 'Policy', {
      certificateAuthority: imported(stack, cnArn),
      principals: accounts('012345678901'),
      templates: [
        CertificateTemplate.END_ENTITY_SERVER_AUTH,
        CertificateTemplate.of('CodeSigningCertificate'),
        CertificateTemplate.of('arn:aws-cn:acm-pca:::template/EndEntityClientAuthCertificate_APIPassthrough/V1'),
        CertificateTemplate.subordinateCa(0),
        CertificateTemplate.END_ENTITY_SERVER_AUTH,
      ],
    });
    const expected = [
      'arn:aws-cn:acm-pca:::template/EndEntityServerAuthCertificate/V1',
      'arn:aws-cn:acm-pca:::template/CodeSigningCertificate/V1',
      'arn:aws-cn:acm-pca:::template/EndEntityClientAuthCertificate_APIPassthrough/V1',
      'arn:aws-cn:acm-pca:::template/SubordinateCACertificate_PathLen0/V1',
    ];
    expect(policy.templateArns).toEqual(expected);
    expect(policyOf(synthTemplate(stack)).Statement[1].Condition.StringEquals['acm-pca:TemplateArn']).toEqual(expected);
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('a template name this library does not know warns', () => {
    const stack = newStack();
    new CertificateAuthorityPolicy(stack, 'Policy', {
      certificateAuthority: imported(stack), principals: accounts('012345678901'), templates: [CertificateTemplate.of('EndEntityCertifcate/V1')],
    });
    Annotations.fromStack(stack).hasWarning('/Stack/Policy', Match.stringLikeRegexp('Template EndEntityCertifcate/V1 is not a Private CA template'));
  });

  test('tokens (CA ARN from the template, account from Aws.ACCOUNT_ID) skip the concrete checks and use the stack partition', () => {
    const stack = new Stack(new App(), 'Stack');
    const ca = new TestCa(stack, 'Ca', {
      principals: accounts(Aws.ACCOUNT_ID),
      templates: [CertificateTemplate.END_ENTITY, CertificateTemplate.of(Lazy.string({ produce: () => 'arn:aws:acm-pca:::template/CodeSigningCertificate/V1' }))],
    });
    const t = synthTemplate(stack);
    const resource = Object.values(t.findResources(TYPE))[0] as any;
    const caId = t.getResourceId('AWS::ACMPCA::CertificateAuthority');
    expect(resource.Properties.CertificateAuthorityArn).toEqual({ 'Fn::GetAtt': [caId, 'Arn'] });
    const joined = JSON.stringify(resource.Properties.Policy);
    expect(joined).toContain('"Ref":"AWS::AccountId"');
    expect(joined).toContain('"Ref":"AWS::Partition"');
    expect(joined).toContain(`"Fn::GetAtt":["${caId}","Arn"]`);
    expect(joined).toContain(':acm-pca:::template/EndEntityCertificate/V1');
    expect(joined).toContain('arn:aws:acm-pca:::template/CodeSigningCertificate/V1');
    expect(ca.node.tryFindChild('Policy')).toBeInstanceOf(CertificateAuthorityPolicy);
  });
});

describe('CertificateAuthorityPolicy deployment wiring', () => {
  test('a policy inside its CA waits for every other resource of the CA, the activation created after it included', () => {
    const stack = newStack();
    new TestCa(stack, 'Ca', { principals: accounts('012345678901') });
    const t = synthTemplate(stack);
    const [id, resource] = Object.entries(t.findResources(TYPE))[0] as [string, any];
    expect(resource.DependsOn).toEqual(expect.arrayContaining([
      t.getResourceId('AWS::ACMPCA::CertificateAuthority'),
      t.getResourceId('AWS::ACMPCA::Certificate'),
      t.getResourceId('AWS::ACMPCA::CertificateAuthorityActivation'),
    ]));
    expect(resource.DependsOn).not.toContain(id);
  });

  test('one handler per stack; each construct\'s own IAM policy on the handler role names its CA only, and no * resource', () => {
    const stack = newStack();
    const root = new RootCa(stack, 'Root', { subject: { commonName: 'Root' } });
    new CertificateAuthorityPolicy(stack, 'RootPolicy', { certificateAuthority: root, principals: [CaSharePrincipal.organization('o-a1b2c3d4e5')] });
    new CertificateAuthorityPolicy(stack, 'ImportedPolicy', { certificateAuthority: imported(stack), principals: accounts('012345678901') });
    new CertificateAuthorityPolicy(stack, 'ImportedAgain', { certificateAuthority: imported(stack, CA_ARN, 'Ca2'), principals: accounts('012345678902') });
    const t = synthTemplate(stack);
    t.resourceCountIs(TYPE, 3);
    t.resourcePropertiesCountIs('AWS::Lambda::Function', { Description: 'src/handlers/ca-policy/ca-policy.lambda.ts', Runtime: 'nodejs22.x' }, 1);
    expect(stack.node.tryFindChild('CdkPkiCaPolicyProvider')).toBeDefined();
    const handler = Object.values<any>(t.findResources('AWS::Lambda::Function', { Properties: { Description: 'src/handlers/ca-policy/ca-policy.lambda.ts' } }))[0];
    const handlerRole = { Ref: handler.Properties.Role['Fn::GetAtt'][0] };
    const own = (resource: unknown) => ({
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['acm-pca:PutPolicy', 'acm-pca:GetPolicy', 'acm-pca:DeletePolicy'], Resource: resource }] },
      Roles: [handlerRole],
    });
    t.resourcePropertiesCountIs('AWS::IAM::Policy', own(stack.resolve(root.certificateAuthorityArn)), 1);
    t.resourcePropertiesCountIs('AWS::IAM::Policy', own(CA_ARN), 2);
    // Each custom resource depends on its own policy, so CloudFormation deletes the policy after it (issue 13, item 2).
    for (const [id, cr] of Object.entries<any>(t.findResources(TYPE))) {
      expect(cr.DependsOn.filter((d: string) => d.startsWith(id.replace(/[0-9A-F]{8}$/, '').replace(/Resource$/, 'HandlerPolicy')))).toHaveLength(1);
    }
    for (const policy of Object.values(t.findResources('AWS::IAM::Policy')) as any[]) {
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        expect([statement.Resource].flat()).not.toContain('*');
      }
    }
    // The custom resource of the RootCa waits for its activation.
    const rootPolicy = Object.values(t.findResources(TYPE)).find((r: any) => JSON.stringify(r).includes('PrincipalOrgID')) as any;
    expect(rootPolicy.DependsOn).toContain(t.getResourceId('AWS::ACMPCA::CertificateAuthorityActivation'));
  });
});

describe('CertificateAuthorityPolicy synth-time errors', () => {
  const ORG_ARN = 'arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5';
  const cases: Array<[string, Omit<CertificateAuthorityPolicyProps, 'certificateAuthority'>, RegExp | string]> = [
    ['no principal', { principals: [] },
      'Stack/Policy: the policy grants nobody: give principals, such as CaSharePrincipal.account("123456789012"), ' +
      'CaSharePrincipal.organization("o-a1b2c3d4e5") or CaSharePrincipal.organizationalUnit("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/").'],
    ['principals left out (JavaScript)', {} as any, /the policy grants nobody/],
    ['a bad account ID', { principals: accounts('1234-5678-9012') }, 'Stack/Policy: account ID "1234-5678-9012" is not 12 digits: write it like "123456789012" (no dashes, keep leading zeros).'],
    ['a repeated account ID', { principals: accounts('012345678901', '012345678901') }, /account ID "012345678901" is listed twice in principals: list each principal once/],
    ['a bad organization ID', { principals: [CaSharePrincipal.organization('org-12345')] }, /organization ID "org-12345" is not an AWS Organizations ID: expected "o-" followed by 10 to 32/],
    ['a bad organization ARN', { principals: [CaSharePrincipal.organization('arn:aws:organizations::1:organization/o-a1b2c3d4e5')] },
      /organization ARN "arn:aws:organizations::1:organization\/o-a1b2c3d4e5" is not an AWS Organizations organization ARN: expected the form .*, or give the organization ID/],
    ['two organizations', { principals: [CaSharePrincipal.organization('o-a1b2c3d4e5'), CaSharePrincipal.organization('o-f6g7h8i9j0')] },
      /principals names 2 organizations \("o-a1b2c3d4e5", "o-f6g7h8i9j0"\): a CA policy grants one organization/],
    ['a bad OU path', { principals: [CaSharePrincipal.organizationalUnit('ou-ab12-11111111')] }, /organizational unit path "ou-ab12-11111111" is not an aws:PrincipalOrgPaths value: write "o-<org>\/r-<root>\/ou-<root>-<ou>\/"/],
    ['an OU path without root or *', { principals: [CaSharePrincipal.organizationalUnit('o-a1b2c3d4e5/')] }, /organizational unit path "o-a1b2c3d4e5\/" is not/],
    ['an OU by ARN', { principals: [CaSharePrincipal.organizationalUnit('arn:aws:organizations::111122223333:ou/o-a1b2c3d4e5/ou-ab12-11111111')] },
      /organizational unit "arn:aws:organizations::111122223333:ou\/o-a1b2c3d4e5\/ou-ab12-11111111" is an ARN, but a CA policy matches organizational units by their aws:PrincipalOrgPaths path.*CaSharePrincipal.organizationalUnit\("o-a1b2c3d4e5\/r-<root>\/<parent OUs>\/<this OU>\/"\)/],
    ['an organization and OUs', { principals: [CaSharePrincipal.organization('o-a1b2c3d4e5'), CaSharePrincipal.organizationalUnit('o-a1b2c3d4e5/*')] },
      /organization "o-a1b2c3d4e5" already grants every organizational unit: give either CaSharePrincipal.organization or CaSharePrincipal.organizationalUnit, not both/],
    ['an organization by ARN and OUs', { principals: [CaSharePrincipal.organization(ORG_ARN), CaSharePrincipal.organizationalUnit('o-a1b2c3d4e5/*')] },
      /already grants every organizational unit/],
    ['no template', { principals: accounts('012345678901'), templates: [] }, /templates is empty, so nobody could issue certificates/],
    ['a bad template name', { principals: accounts('012345678901'), templates: [CertificateTemplate.of('End Entity')] }, /template "End Entity" is not a template name: give "EndEntityCertificate\/V1"/],
    ['a template ARN with a region', { principals: accounts('012345678901'), templates: [CertificateTemplate.of('arn:aws:acm-pca:us-east-1::template/EndEntityCertificate/V1')] },
      /template ARN "arn:aws:acm-pca:us-east-1::template\/EndEntityCertificate\/V1" is not a Private CA template ARN: expected arn:<partition>:acm-pca:::template\/<Name>\/V<n> \(region and account empty\)/],
  ];
  test.each(cases)('%s', (_name, props, message) => {
    const stack = newStack();
    expect(() => new CertificateAuthorityPolicy(stack, 'Policy', { certificateAuthority: imported(stack), ...props })).toThrow(message);
  });

  test('several problems are reported together', () => {
    const stack = newStack();
    expect(() => new CertificateAuthorityPolicy(stack, 'Policy', { certificateAuthority: imported(stack), principals: [...accounts('1'), CaSharePrincipal.organization('x')] }))
      .toThrow(/Stack\/Policy: \n {2}- account ID "1".*\n {2}- organization ID "x"/);
  });

  test('the provider\'s construct ID at the stack root is reserved', () => {
    const stack = newStack();
    new Construct(stack, 'CdkPkiCaPolicyProvider');
    expect(() => new CertificateAuthorityPolicy(stack, 'Policy', { certificateAuthority: imported(stack), principals: accounts('012345678901') }))
      .toThrow('Stack/CdkPkiCaPolicyProvider: this construct ID is reserved for the cdk-pki custom-resource provider; rename your construct.');
  });

  test('a concrete CA ARN that is not a Private CA ARN', () => {
    const stack = newStack();
    const bad = imported(stack, 'arn:aws:acm:eu-west-1:111111111111:certificate/01234567-89ab-cdef-0123-456789abcdef');
    expect(() => new CertificateAuthorityPolicy(stack, 'Policy', { certificateAuthority: bad, principals: accounts('012345678901') }))
      .toThrow(/certificate authority ARN "arn:aws:acm:.*" names the service "acm", not "acm-pca"/);
  });

  const manyAccounts = Array.from({ length: 700 }, (_, i) => String(100000000000 + i));
  test('a concrete policy over 20480 characters', () => {
    const stack = newStack();
    expect(() => new CertificateAuthorityPolicy(stack, 'Policy', { certificateAuthority: imported(stack), principals: accounts(...manyAccounts) }))
      .toThrow(/Stack\/Policy: the resource policy is \d{5} characters long, over PutPolicy's limit of 20480: grant fewer accounts, or grant an organization/);
  });

  test('with a token CA ARN, a policy over the limit even without the token is refused as "at least"', () => {
    const stack = newStack();
    expect(() => new TestCa(stack, 'Ca', { principals: accounts(...manyAccounts) })).toThrow(/Stack\/Ca\/Policy: the resource policy is at least \d{5} characters long/);
    const ok = newStack();
    expect(() => new TestCa(ok, 'Ca', { principals: accounts(...manyAccounts.slice(0, 500)) })).not.toThrow();
  });
});

describe('policy text rules (pure)', () => {
  test('1 to 20480 characters', () => {
    expect(validateCaPolicyText('x'.repeat(20480))).toEqual([]);
    expect(validateCaPolicyText('x'.repeat(20481))).toEqual([expect.stringContaining('is 20481 characters long, over PutPolicy\'s limit of 20480')]);
    expect(validateCaPolicyText('')).toEqual(['the resource policy is empty: PutPolicy needs 1 to 20480 characters of JSON.']);
  });

  test('Latin-1 only: tab, line breaks and U+0020 to U+00FF', () => {
    expect(validateCaPolicyText('{\t"a": "é ÿ"\r\n}')).toEqual([]);
    expect(validateCaPolicyText('{"a": "证书 – ok"}')).toEqual([
      'the resource policy contains characters outside Latin-1 ("证", "书", "–"): PutPolicy accepts only tab, line breaks and U+0020 to U+00FF. Remove or replace them.',
    ]);
    expect(validateCaPolicyText('\u0001')).toHaveLength(1);
  });
});
