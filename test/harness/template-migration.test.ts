import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  compareTemplates, describeMigration, differingPaths, findSchemaDir, migrationProblems, replacedResources, resourceSchema,
} from './template-migration';

/*
 * test/harness/template-migration.ts on small hand-made templates: a create-only change, an updatable
 * change, a logical ID change, a type change, nested create-only pointers, policies, references to
 * replaced resources, equivalent spellings, and the schema lookup in cfn-lint's data.
 */

const CERT = 'AWS::CertificateManager::Certificate';
const CA = 'AWS::ACMPCA::CertificateAuthority';

function template(resources: Record<string, any>): { Resources: Record<string, any> } {
  return { Resources: resources };
}

function cert(props: Record<string, any> = {}, extra: Record<string, any> = {}): any {
  return { Type: CERT, Properties: { DomainName: 'www.example.com', ValidationMethod: 'DNS', ...props }, ...extra };
}

/** A root CA with its certificate and activation, as CloudFormation's documentation writes them. */
function caTrio(caProps: Record<string, any> = {}, caId = 'Root'): Record<string, any> {
  return {
    [caId]: { Type: CA, Properties: { Type: 'ROOT', KeyAlgorithm: 'RSA_2048', SigningAlgorithm: 'SHA256WITHRSA', Subject: { CommonName: 'Root' }, ...caProps } },
    RootCertificate: {
      Type: 'AWS::ACMPCA::Certificate',
      Properties: {
        CertificateAuthorityArn: { 'Fn::GetAtt': [caId, 'Arn'] },
        CertificateSigningRequest: { 'Fn::GetAtt': [caId, 'CertificateSigningRequest'] },
        SigningAlgorithm: 'SHA256WITHRSA',
        TemplateArn: 'arn:aws:acm-pca:::template/RootCACertificate/V1',
        Validity: { Type: 'DAYS', Value: 3650 },
      },
    },
    RootActivation: {
      Type: 'AWS::ACMPCA::CertificateAuthorityActivation',
      Properties: { CertificateAuthorityArn: { 'Fn::GetAtt': [caId, 'Arn'] }, Certificate: { 'Fn::GetAtt': ['RootCertificate', 'Certificate'] }, Status: 'ACTIVE' },
    },
  };
}

describe('compareTemplates: the four kinds of change', () => {
  test('a create-only change (KeyAlgorithm) replaces the resource', () => {
    const m = compareTemplates(template({ Cert: cert() }), template({ Cert: cert({ KeyAlgorithm: 'RSA_2048' }) }));
    expect(m.changed).toEqual([{
      logicalId: 'Cert',
      type: CERT,
      replaced: true,
      properties: [{ property: 'KeyAlgorithm', kind: 'create-only', before: undefined, after: 'RSA_2048', paths: [''] }],
    }]);
    expect(migrationProblems(m)).toEqual(['Cert (AWS::CertificateManager::Certificate) KeyAlgorithm [create-only]: (absent) -> "RSA_2048"']);
    expect(replacedResources(m)).toEqual(['Cert']);
    expect(describeMigration(m)).toBe([
      'CHANGED Cert (AWS::CertificateManager::Certificate): REPLACED',
      '  Cert (AWS::CertificateManager::Certificate) KeyAlgorithm [create-only]: (absent) -> "RSA_2048"',
    ].join('\n'));
  });

  test('an updatable change (Tags, CT logging) updates in place: no problem', () => {
    const m = compareTemplates(
      template({ Cert: cert({ Tags: [{ Key: 'Name', Value: 'a' }] }) }),
      template({ Cert: cert({ Tags: [{ Key: 'Name', Value: 'b' }], CertificateTransparencyLoggingPreference: 'ENABLED' }) }),
    );
    expect(m.changed[0].replaced).toBe(false);
    expect(m.changed[0].properties.map((p) => [p.property, p.kind, p.paths])).toEqual([
      ['CertificateTransparencyLoggingPreference', 'updatable', ['']],
      ['Tags', 'updatable', ['/0/Value']],
    ]);
    expect(migrationProblems(m)).toEqual([]);
    expect(replacedResources(m)).toEqual([]);
  });

  test('a logical ID change: removed + added of the same type, paired by equal properties', () => {
    const m = compareTemplates(
      template({ Old: cert(), Other: cert({ DomainName: 'api.example.com' }) }),
      template({ New1: cert({ DomainName: 'api.example.com' }), New2: cert() }),
    );
    expect(m.removed).toEqual([{ logicalId: 'Old', type: CERT }, { logicalId: 'Other', type: CERT }]);
    expect(m.added).toEqual([{ logicalId: 'New1', type: CERT }, { logicalId: 'New2', type: CERT }]);
    expect(m.logicalIdChanges).toEqual([{ type: CERT, before: 'Old', after: 'New2' }, { type: CERT, before: 'Other', after: 'New1' }]);
    expect(migrationProblems(m)).toEqual([
      'Old -> New2 (AWS::CertificateManager::Certificate): logical ID changed, the resource is replaced',
      'Other -> New1 (AWS::CertificateManager::Certificate): logical ID changed, the resource is replaced',
    ]);
    expect(replacedResources(m)).toEqual(['Old -> New2', 'Other -> New1']);
  });

  test('a type change under the same logical ID is refused by CloudFormation; a plain removal is a problem too', () => {
    const m = compareTemplates(
      template({ Cert: { Type: 'AWS::CloudFormation::CustomResource', Properties: { ServiceToken: 'arn' } }, Gone: cert() }),
      template({ Cert: { Type: 'Custom::Certificate', Properties: { ServiceToken: 'arn' } } }),
    );
    expect(m.typeChanged).toEqual([{ logicalId: 'Cert', before: 'AWS::CloudFormation::CustomResource', after: 'Custom::Certificate' }]);
    expect(m.changed).toEqual([]);
    expect(migrationProblems(m)).toEqual([
      'Cert: type AWS::CloudFormation::CustomResource -> Custom::Certificate (CloudFormation refuses the update)',
      'Gone (AWS::CertificateManager::Certificate): removed',
    ]);
    expect(describeMigration(m)).toBe([
      'TYPE CHANGED Cert: AWS::CloudFormation::CustomResource -> Custom::Certificate (CloudFormation refuses the update)',
      'REMOVED Gone (AWS::CertificateManager::Certificate)',
    ].join('\n'));
  });
});

describe('compareTemplates: details', () => {
  test('a nested change inside a create-only top-level property is create-only', () => {
    const m = compareTemplates(template(caTrio()), template(caTrio({ Subject: { CommonName: 'Root', Organization: 'Example' } })));
    const ca = m.changed.find((c) => c.logicalId === 'Root')!;
    expect(ca.properties.map((p) => [p.property, p.kind, p.paths])).toEqual([['Subject', 'create-only', ['/Organization']]]);
  });

  test('references to a replaced resource change at deploy time: create-only ones cascade, updatable ones update', () => {
    const m = compareTemplates(template(caTrio()), template(caTrio({ KeyAlgorithm: 'RSA_4096' })));
    const byId = Object.fromEntries(m.changed.map((c) => [c.logicalId, c]));
    expect(Object.keys(byId).sort()).toEqual(['Root', 'RootActivation', 'RootCertificate']);
    expect(byId.RootCertificate.replaced).toBe(true);
    expect(byId.RootCertificate.properties.map((p) => [p.property, p.kind, p.viaReplacementOf])).toEqual([
      ['CertificateAuthorityArn', 'create-only', ['Root']],
      ['CertificateSigningRequest', 'create-only', ['Root']],
    ]);
    // The activation's CA ARN is create-only: it is replaced too; its certificate updates in place.
    expect(byId.RootActivation.properties.map((p) => [p.property, p.kind, p.viaReplacementOf])).toEqual([
      ['Certificate', 'updatable', ['RootCertificate']],
      ['CertificateAuthorityArn', 'create-only', ['Root']],
    ]);
    expect(replacedResources(m)).toEqual(['Root', 'RootActivation', 'RootCertificate']);
    expect(describeMigration(m)).toContain('CertificateAuthorityArn [create-only] (unchanged text; references replaced Root)');
  });

  test('a renamed CA: what references it follows the new logical ID and is replaced (create-only ARN)', () => {
    const m = compareTemplates(template(caTrio()), template(caTrio({}, 'RootCa1234')));
    expect(m.logicalIdChanges).toEqual([{ type: CA, before: 'Root', after: 'RootCa1234' }]);
    expect(m.changed.filter((c) => c.replaced).map((c) => c.logicalId)).toEqual(['RootActivation', 'RootCertificate']);
  });

  test('spellings CloudFormation resolves alike are equal: partition, Fn::Sub, Ref vs Fn::GetAtt Arn, Ref of an activation', () => {
    const before = caTrio();
    const after = caTrio();
    after.RootCertificate.Properties.TemplateArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':acm-pca:::template/RootCACertificate/V1']] };
    after.RootCertificate.Properties.CertificateAuthorityArn = { Ref: 'Root' };
    after.RootActivation.Properties.CertificateAuthorityArn = { 'Fn::GetAtt': 'Root.Arn' };
    before.Sub = cert({ CertificateAuthorityArn: { 'Fn::GetAtt': ['Root', 'Arn'] }, DomainName: { 'Fn::Sub': 'www.${AWS::Region}.example.com' } });
    after.Sub = cert({ CertificateAuthorityArn: { Ref: 'RootActivation' }, DomainName: 'www.us-east-1.example.com' });
    const m = compareTemplates(template(before), template(after), { region: 'us-east-1' });
    expect(describeMigration(m)).toBe('no change');
    // Without the region, AWS::Region stays a token: the name differs.
    expect(compareTemplates(template(before), template(after)).changed.map((c) => c.properties.map((p) => p.property))).toEqual([['DomainName']]);
  });

  test('a literal part of Fn::Join or Fn::Sub that changes is still a change', () => {
    const join = (s: string) => template({ Cert: cert({ DomainName: { 'Fn::Join': ['.', [s, { Ref: 'Param' }]] } }) });
    expect(migrationProblems(compareTemplates(join('www'), join('api')))).toHaveLength(1);
    const sub = (s: string) => template({ Cert: cert({ DomainName: { 'Fn::Sub': [`${s}.\${Zone}`, { Zone: { Ref: 'Param' } }] } }) });
    expect(migrationProblems(compareTemplates(sub('www'), sub('www')))).toEqual([]);
    expect(migrationProblems(compareTemplates(sub('www'), sub('api')))).toHaveLength(1);
  });

  test('DeletionPolicy / UpdateReplacePolicy: compared with CloudFormation\'s defaults, reported, not problems', () => {
    const m = compareTemplates(
      template({ A: cert(), B: cert(), Db: { Type: 'AWS::RDS::DBInstance', Properties: {} } }),
      template({
        A: cert({}, { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' }),
        B: cert({}, { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' }),
        Db: { Type: 'AWS::RDS::DBInstance', Properties: {}, DeletionPolicy: 'Snapshot' },
      }),
    );
    expect(m.changed).toEqual([{
      logicalId: 'B',
      type: CERT,
      properties: [],
      deletionPolicy: { before: undefined, after: 'RetainExceptOnCreate' },
      updateReplacePolicy: { before: undefined, after: 'Retain' },
      replaced: false,
    }]);
    expect(migrationProblems(m)).toEqual([]);
    expect(describeMigration(m)).toBe([
      'CHANGED B (AWS::CertificateManager::Certificate)',
      '  DeletionPolicy: (absent) -> "RetainExceptOnCreate"',
      '  UpdateReplacePolicy: (absent) -> "Retain"',
    ].join('\n'));
  });

  test('CDK metadata is ignored: the CDKMetadata resource, Metadata, DependsOn, parameters and rules', () => {
    const m = compareTemplates(
      { Resources: { Cert: cert({}, { Metadata: { 'aws:cdk:path': 'Web/Cert/Resource' } }), CDKMetadata: { Type: 'AWS::CDK::Metadata', Properties: { Analytics: 'v2:a' } } } },
      {
        Resources: { Cert: cert({}, { Metadata: { 'aws:cdk:path': 'Web/Site/Resource' }, DependsOn: ['X'] }) },
        Parameters: { BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>' } },
        Rules: { CheckBootstrapVersion: {} },
      } as any,
    );
    expect(describeMigration(m)).toBe('no change');
  });

  test('a Condition change is reported', () => {
    const m = compareTemplates(template({ Cert: cert() }), template({ Cert: cert({}, { Condition: 'IsProd' }) }));
    expect(m.changed[0].condition).toEqual({ before: undefined, after: 'IsProd' });
  });

  test('custom resources have no schema: their handler decides (kind handler, not a problem); unknown types are problems', () => {
    const m = compareTemplates(
      template({ C: { Type: 'Custom::Thing', Properties: { ServiceToken: 'arn', Name: 'a' } }, U: { Type: 'Example::Not::AType', Properties: { A: 1 } } }),
      template({ C: { Type: 'Custom::Thing', Properties: { ServiceToken: 'arn', Name: 'b' } }, U: { Type: 'Example::Not::AType', Properties: { A: 2 } } }),
    );
    expect(m.changed.map((c) => [c.logicalId, c.properties[0].kind, c.replaced])).toEqual([['C', 'handler', false], ['U', 'unknown', true]]);
    expect(migrationProblems(m)).toEqual(['U (Example::Not::AType) A [unknown]: 1 -> 2']);
  });
});

describe('schemas', () => {
  test('read from the cfn-lint package of the venv: create-only properties and what Ref returns', () => {
    expect(fs.existsSync(path.join(findSchemaDir(), 'providers'))).toBe(true);
    const acm = resourceSchema(CERT)!;
    expect(acm.createOnlyProperties).toEqual(expect.arrayContaining(['/properties/KeyAlgorithm', '/properties/DomainValidationOptions', '/properties/DomainName']));
    expect(acm.createOnlyProperties).not.toContain('/properties/Tags');
    expect(resourceSchema(CA)).toMatchObject({ refProperty: 'Arn', refIsAttribute: true });
    expect(resourceSchema('AWS::ACMPCA::CertificateAuthorityActivation')).toMatchObject({ refProperty: 'CertificateAuthorityArn', refIsAttribute: false });
    expect(resourceSchema('Example::Not::AType')).toBeUndefined();
  });

  test('nested create-only pointers (with * for array items), in the older per-type file layout', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemas-'));
    try {
      fs.mkdirSync(path.join(dir, 'providers', 'eu_west_1'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'providers', 'eu_west_1', 'example-test-thing.json'), JSON.stringify({
        typeName: 'Example::Test::Thing',
        createOnlyProperties: ['/properties/Config/Name', '/properties/Items/*/Id'],
        primaryIdentifier: ['/properties/Id'],
        readOnlyProperties: ['/properties/Id'],
      }));
      const options = { schemaDir: dir, region: 'eu-west-1' };
      const thing = (props: any) => template({ T: { Type: 'Example::Test::Thing', Properties: props } });
      const kinds = (b: any, a: any) => compareTemplates(thing(b), thing(a), options).changed.flatMap((c) => c.properties.map((p) => `${p.property} ${p.kind}`));
      expect(kinds({ Config: { Name: 'a', Size: 1 } }, { Config: { Name: 'a', Size: 2 } })).toEqual(['Config updatable']);
      expect(kinds({ Config: { Name: 'a', Size: 1 } }, { Config: { Name: 'b', Size: 1 } })).toEqual(['Config create-only']);
      // A whole value replaced around a nested create-only pointer counts as create-only.
      expect(kinds({}, { Config: { Size: 1 } })).toEqual(['Config create-only']);
      expect(kinds({ Items: [{ Id: 'x', Note: 'a' }] }, { Items: [{ Id: 'x', Note: 'b' }] })).toEqual(['Items updatable']);
      expect(kinds({ Items: [{ Id: 'x', Note: 'a' }] }, { Items: [{ Id: 'y', Note: 'a' }] })).toEqual(['Items create-only']);
      expect(resourceSchema('Example::Test::Thing', options)).toMatchObject({ refProperty: 'Id', refIsAttribute: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('differingPaths: JSON pointers of the differences; arrays of another length differ as a whole', () => {
    expect(differingPaths({ a: { 'b': 1, 'c/d': 2 } }, { a: { 'b': 1, 'c/d': 3 } })).toEqual(['/a/c~1d']);
    expect(differingPaths([1, 2], [1, 3])).toEqual(['/1']);
    expect(differingPaths([1, 2], [1, 2, 3])).toEqual(['']);
    expect(differingPaths({ a: 1 }, { a: 1 })).toEqual([]);
  });

  test('no schema directory: a clear error', () => {
    expect(() => findSchemaDir(os.tmpdir())).toThrow(/cfn-lint's resource schemas are not in/);
  });
});
