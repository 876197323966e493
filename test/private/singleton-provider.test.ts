import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { CertificateExport } from '../../src/certificates/certificate-export';
import { PublicCertificate } from '../../src/certificates/public-certificate';
import { SingletonProvider } from '../../src/private/singleton-provider';
import { PkiValidationError } from '../../src/validation/errors';
import { synthTemplate } from '../harness/cfn-lint';

const ARN = (n: number) => `arn:aws:acm:eu-west-1:111111111111:certificate/${String(n).padStart(8, '0')}-2222-3333-4444-555555555555`;

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
}

function provider(stack: Stack): SingletonProvider {
  return SingletonProvider.of(stack, {
    id: 'TestProvider',
    createHandler: (scope, id) => new lambda.Function(scope, id, {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({});'),
    }),
  });
}

describe('SingletonProvider', () => {
  test('one provider per stack and ID', () => {
    const stack = newStack();
    expect(provider(stack)).toBe(provider(stack));
  });

  test('25 resources granted the same actions make two statements of the handler\'s policy (19 ARNs, then 6)', () => {
    const stack = newStack();
    const p = provider(stack);
    for (let i = 0; i < 25; i++) p.grant(['acm:DescribeCertificate'], ARN(i));
    p.grant(['acm:DescribeCertificate'], ARN(0));
    const policies = Object.values(synthTemplate(stack).findResources('AWS::IAM::Policy'))
      .filter((r: any) => r.Properties.Roles.some((role: any) => JSON.stringify(role).includes('TestProviderHandler')));
    const statements = policies.flatMap((r: any) => r.Properties.PolicyDocument.Statement)
      .filter((s: any) => s.Action === 'acm:DescribeCertificate');
    expect(statements.map((s: any) => [s.Resource].flat().length)).toEqual([19, 6]);
  });

  test('a construct of another type at the provider\'s ID is refused with a PkiValidationError', () => {
    const create = () => {
      const stack = newStack();
      new Construct(stack, 'TestProvider');
      return provider(stack);
    };
    expect(create).toThrow(PkiValidationError);
    expect(create).toThrow('Stack/TestProvider: this construct ID is reserved for the cdk-pki custom-resource provider; rename your construct.');
  });

  test('the certificate exports\' shared construct ID is reserved too, with a PkiValidationError', () => {
    const create = () => {
      const stack = newStack();
      new Construct(stack, 'CdkPkiCertificateExportShared');
      const certificate = new PublicCertificate(stack, 'Cert', { domainName: 'www.example.com', allowExport: true });
      return new CertificateExport(stack, 'Export', { certificate });
    };
    expect(create).toThrow(PkiValidationError);
    expect(create).toThrow('Stack/CdkPkiCertificateExportShared: this construct ID is reserved for cdk-pki\'s certificate exports; rename your construct.');
  });
});
