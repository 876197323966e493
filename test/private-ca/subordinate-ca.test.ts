import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { CaKeyAlgorithm, CaValidity, RootCa, SubordinateCa } from '../../src';
import { PkiValidationError } from '../../src/validation/errors';
import { synthTemplate } from '../harness/cfn-lint';

const ENV = { account: '123456789012', region: 'eu-west-1' };

function setup() {
  const s = new Stack(new App(), 'Stack', { env: ENV });
  const root = new RootCa(s, 'Root', { subject: { commonName: 'Root' }, keyAlgorithm: CaKeyAlgorithm.RSA_4096, revocation: { ocsp: true } });
  return { s, root };
}

function templateArn(pathLen: number) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:acm-pca:::template/SubordinateCACertificate_PathLen${pathLen}/V1`]] };
}


describe('SubordinateCa', () => {
  test('with a parent in the app: issued by the parent (its algorithm, PathLen0, half its validity) and activated with the chain', () => {
    const { s, root } = setup();
    const sub = new SubordinateCa(s, 'Issuing', { parent: root, subject: { commonName: 'Issuing' }, keyAlgorithm: CaKeyAlgorithm.EC_PRIME256V1, revocation: { ocsp: true } });
    const t = synthTemplate(s);
    const subCa = s.getLogicalId(sub.node.defaultChild as any);
    const rootActivation = s.getLogicalId(root.activation);
    t.hasResourceProperties('AWS::ACMPCA::CertificateAuthority', { Type: 'SUBORDINATE', KeyAlgorithm: 'EC_prime256v1', SigningAlgorithm: 'SHA256WITHECDSA' });
    t.hasResourceProperties('AWS::ACMPCA::Certificate', {
      // the parent's ARN through its activation, so the parent is ACTIVE first
      CertificateAuthorityArn: { Ref: rootActivation },
      CertificateSigningRequest: { 'Fn::GetAtt': [subCa, 'CertificateSigningRequest'] },
      SigningAlgorithm: 'SHA256WITHRSA',
      TemplateArn: templateArn(0),
      Validity: { Type: 'DAYS', Value: 1825 },
    });
    t.hasResourceProperties('AWS::ACMPCA::CertificateAuthorityActivation', {
      CertificateAuthorityArn: { 'Fn::GetAtt': [subCa, 'Arn'] },
      CertificateChain: { 'Fn::GetAtt': [rootActivation, 'CompleteCertificateChain'] },
      Status: 'ACTIVE',
    });
    expect(sub.pathLength).toBe(0);
    expect(s.resolve(sub.csr)).toEqual({ 'Fn::GetAtt': [subCa, 'CertificateSigningRequest'] });
    expect(s.resolve(sub.certificateAuthorityArn)).toEqual({ Ref: s.getLogicalId(sub.activation!) });
  });

  test('path lengths are computed from the CAs below, and each level takes half the validity', () => {
    const { s, root } = setup();
    const policy = new SubordinateCa(s, 'Policy', { parent: root, subject: { commonName: 'Policy' }, revocation: { ocsp: true } });
    const issuing = new SubordinateCa(s, 'Issuing', { parent: policy, subject: { commonName: 'Issuing' }, revocation: { ocsp: true } });
    const t = synthTemplate(s);
    expect([policy.pathLength, issuing.pathLength]).toEqual([1, 0]);
    t.hasResourceProperties('AWS::ACMPCA::Certificate', { TemplateArn: templateArn(1), Validity: { Type: 'DAYS', Value: 1825 } });
    t.hasResourceProperties('AWS::ACMPCA::Certificate', {
      TemplateArn: templateArn(0),
      Validity: { Type: 'DAYS', Value: 912 },
      CertificateAuthorityArn: { Ref: s.getLogicalId(policy.activation!) },
    });
    t.hasResourceProperties('AWS::ACMPCA::CertificateAuthorityActivation', {
      CertificateChain: { 'Fn::GetAtt': [s.getLogicalId(policy.activation!), 'CompleteCertificateChain'] },
    });
  });

  test('an explicit pathLength is used as given', () => {
    const { s, root } = setup();
    new SubordinateCa(s, 'Sub', { parent: root, subject: { commonName: 'Sub' }, pathLength: 2, revocation: { ocsp: true } });
    synthTemplate(s).hasResourceProperties('AWS::ACMPCA::Certificate', { TemplateArn: templateArn(2) });
  });

  test('without a parent: created, not activated, CSR exposed', () => {
    const s = new Stack(new App(), 'Stack', { env: ENV });
    const sub = new SubordinateCa(s, 'External', { subject: { commonName: 'Under an on-prem root' }, revocation: { ocsp: true } });
    const t = synthTemplate(s);
    t.resourceCountIs('AWS::ACMPCA::Certificate', 0);
    t.resourceCountIs('AWS::ACMPCA::CertificateAuthorityActivation', 0);
    const ca = s.getLogicalId(sub.node.defaultChild as any);
    expect(s.resolve(sub.certificateAuthorityArn)).toEqual({ 'Fn::GetAtt': [ca, 'Arn'] });
    expect(s.resolve(sub.csr)).toEqual({ 'Fn::GetAtt': [ca, 'CertificateSigningRequest'] });
    expect(sub.activation).toBeUndefined();
  });

  describe('synth-time errors', () => {
    test('a child validity that does not end before the parent', () => {
      const { s, root } = setup();
      expect(() => new SubordinateCa(s, 'Sub', { parent: root, subject: { commonName: 'Sub' }, validity: CaValidity.duration(Duration.days(3650)) }))
        .toThrow(/Stack\/Sub: validity of 3650 days does not end before the parent CA's 3650 days: a CA certificate cannot outlive its issuer/);
    });

    test('an end date after the parent\'s end', () => {
      const { s, root } = setup();
      const far = new Date(Date.now() + 20 * 365 * 86_400_000);
      expect(() => new SubordinateCa(s, 'Sub', { parent: root, subject: { commonName: 'Sub' }, validity: CaValidity.endDate(far) }))
        .toThrow(/ends after the parent CA's validity 3650 days/);
    });

    test('an exhausted path length', () => {
      const { s, root } = setup();
      const policy = new SubordinateCa(s, 'Policy', { parent: root, subject: { commonName: 'Policy' }, pathLength: 0, revocation: { ocsp: true } });
      expect(() => new SubordinateCa(s, 'Issuing', { parent: policy, subject: { commonName: 'Issuing' } }))
        .toThrow(/Stack\/Issuing: path length exhausted: ancestor Stack\/Policy has pathLength 0, which allows 0 CA level\(s\) below it, but this CA sits 1 level\(s\) below it/);
    });

    test('a child asking for more levels than its ancestors allow', () => {
      const { s, root } = setup();
      const policy = new SubordinateCa(s, 'Policy', { parent: root, subject: { commonName: 'Policy' }, pathLength: 1, revocation: { ocsp: true } });
      expect(() => new SubordinateCa(s, 'Issuing', { parent: policy, subject: { commonName: 'Issuing' }, pathLength: 1 }))
        .toThrow(/ancestor Stack\/Policy has pathLength 1.*with pathLength 1/);
    });

    test('a path length outside 0-3', () => {
      const { s, root } = setup();
      expect(() => new SubordinateCa(s, 'Sub', { parent: root, subject: { commonName: 'Sub' }, pathLength: 4 }))
        .toThrow(/pathLength 4 is not allowed: Private CA's subordinate templates support path lengths 0 to 3/);
    });

    test('a hierarchy deeper than the templates allow is refused when the fifth level is attached', () => {
      const { s, root } = setup();
      let parent: RootCa | SubordinateCa = root;
      let days = 3000;
      const level = (i: number) => new SubordinateCa(s, `L${i}`, { parent, subject: { commonName: `L${i}` }, validity: CaValidity.duration(Duration.days(days - 100 * i)), revocation: { ocsp: true } });
      const levels: SubordinateCa[] = [];
      for (let i = 0; i < 4; i++) levels.push(parent = level(i));
      expect(() => level(4)).toThrow(new RegExp('^Stack/L4: path length too deep: ancestor Stack/L0 has no pathLength, so it gets the depth of the CAs ' +
        'below it, and this CA sits 4 level\\(s\\) below it, which needs path length 4; Private CA\'s subordinate templates stop at 3\\. ' +
        'Attach this CA higher up, or flatten the hierarchy$'));
      // The four levels that fit get path lengths 3, 2, 1, 0 and synthesize (without the refused level's remains).
      expect(levels.map((l) => l.pathLength)).toEqual([3, 2, 1, 0]);
      s.node.tryRemoveChild('L4');
      synthTemplate(s).hasResourceProperties('AWS::ACMPCA::Certificate', { TemplateArn: templateArn(3) });
    });

    test('B5: an explicit path length below an unset ancestor is refused while building, with a PkiValidationError', () => {
      const { s, root } = setup();
      const sub0 = new SubordinateCa(s, 'Sub0', { parent: root, subject: { commonName: 'S0' }, revocation: { ocsp: true } });
      let error: unknown;
      try {
        new SubordinateCa(s, 'Sub1', { parent: sub0, subject: { commonName: 'S1' }, pathLength: 3, validity: CaValidity.duration(Duration.days(1)), revocation: { ocsp: true } });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PkiValidationError);
      expect((error as Error).message).toBe('Stack/Sub1: path length too deep: ancestor Stack/Sub0 has no pathLength, so it gets the depth of the CAs below it, ' +
        'and this CA sits 1 level(s) below it with pathLength 3, which needs path length 4; Private CA\'s subordinate templates stop at 3. ' +
        'Lower this CA\'s pathLength, attach this CA higher up, or flatten the hierarchy');
      // pathLength 2 fits: Sub0 then gets path length 3.
      const ok = new SubordinateCa(s, 'Sub2', { parent: sub0, subject: { commonName: 'S2' }, pathLength: 2, validity: CaValidity.duration(Duration.days(1)), revocation: { ocsp: true } });
      expect([sub0.pathLength, ok.pathLength]).toEqual([3, 2]);
    });

    test('an invalid pathLength is reported alone, without ancestor noise', () => {
      const { s, root } = setup();
      const sub0 = new SubordinateCa(s, 'Sub0', { parent: root, subject: { commonName: 'S0' }, revocation: { ocsp: true } });
      expect(() => new SubordinateCa(s, 'Sub1', { parent: sub0, subject: { commonName: 'S1' }, pathLength: 1.5, validity: CaValidity.duration(Duration.days(1)) }))
        .toThrow(/^Stack\/Sub1: pathLength 1.5 is not allowed: Private CA's subordinate templates support path lengths 0 to 3$/);
    });

    test('a parent that is itself pending (external parent) cannot issue a child here', () => {
      const s = new Stack(new App(), 'Stack', { env: ENV });
      const pending = new SubordinateCa(s, 'Pending', { subject: { commonName: 'Pending' }, revocation: { ocsp: true } });
      expect(() => new SubordinateCa(s, 'Child', { parent: pending, subject: { commonName: 'Child' } }))
        .toThrow(/Stack\/Child: parent Stack\/Pending is not activated in this app/);
    });
  });

  test('a DESTROY parent with children warns that deleting it invalidates them', () => {
    const s = new Stack(new App(), 'Stack', { env: ENV });
    const root = new RootCa(s, 'Root', { subject: { commonName: 'Root' }, removalPolicy: RemovalPolicy.DESTROY, revocation: { ocsp: true } });
    new SubordinateCa(s, 'Sub', { parent: root, subject: { commonName: 'Sub' }, revocation: { ocsp: true } });
    expect(root.node.metadata.map((m) => String(m.data)).join('\n')).toMatch(/removalPolicy DESTROY and issues subordinate CAs/);
    synthTemplate(s).hasResource('AWS::ACMPCA::CertificateAuthority', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ Type: 'ROOT' }) });
  });
});

