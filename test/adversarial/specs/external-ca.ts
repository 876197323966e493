import { Duration, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as fc from 'fast-check';
import { CaExternalParent } from '../../../src/private-ca/ca-external-parent';
import { CaValidity } from '../../../src/private-ca/ca-validity';
import { SubordinateCa } from '../../../src/private-ca/subordinate-ca';
import { documentedCaExtensions, signCsr } from '../../harness/external-ca';
import { makeLeaf, makeSelfSignedCa } from '../../harness/openssl';
import { makeCsr } from '../../harness/x509';
import { maybe, mostly } from '../arbitraries';
import { AdversarialSpec, Finding, must } from '../harness';
import { resourcesOf } from '../oracle/template';

/*
 * SubordinateCa with `externalParent`: the phase (awaiting, PEM, SSM, secret), the material (from a pool of openssl
 * certificates whose defects are known by construction), the CSR, parameter names and versions, secret fields,
 * `pathLength`, `validity` and a CA below it. The oracle knows each pool entry's defect from how it was made and the
 * rules from the digest (§3.13 import rules, IS-08 validity nesting, HI-03 path lengths), not from src/validation.
 */

const root = makeSelfSignedCa({ commonName: 'Adv Root', keyType: 'ec' });
const shortRoot = makeSelfSignedCa({ commonName: 'Adv Short Root', days: 30, keyType: 'ec' });
const ownCsr = makeCsr({ commonName: 'Adv Issuing CA', keyType: 'ec' });
const otherCsr = makeCsr({ commonName: 'Adv Issuing CA', keyType: 'ec' });
const policyCsr = makeCsr({ commonName: 'Adv Policy CA', keyType: 'ec' });
const intermediate = { certPem: signCsr(root, policyCsr.csrPem, { extensions: documentedCaExtensions(1), days: 3000 }), keyPem: policyCsr.keyPem };

type ChainName = 'root' | 'short' | 'intermediate+root' | 'root+intermediate' | 'empty';
const CHAINS: Record<ChainName, string> = {
  'root': root.certPem,
  'short': shortRoot.certPem,
  'intermediate+root': intermediate.certPem + root.certPem,
  'root+intermediate': root.certPem + intermediate.certPem,
  'empty': '',
};

/** A certificate of the pool: how it was made says what is wrong with it. */
interface PoolCert {
  readonly pem: string;
  /** The chain that issued it, in order. */
  readonly chain: ChainName;
  /** The CA levels it allows below it (its own pathlen, or its issuer's); undefined for a certificate that is no CA. */
  readonly limit?: number;
  /** The defect by construction, if any. */
  readonly defect?: 'garbage' | 'not a CA' | 'expired' | 'outlives its issuer';
  /** Whose key it carries. */
  readonly key: 'own' | 'other';
}

const POOL: Record<string, PoolCert> = {
  pathlen0: { pem: signCsr(root, ownCsr.csrPem), chain: 'root', limit: 0, key: 'own' },
  pathlen1: { pem: signCsr(root, ownCsr.csrPem, { extensions: documentedCaExtensions(1) }), chain: 'root', limit: 1, key: 'own' },
  underIntermediate: { pem: signCsr(intermediate, ownCsr.csrPem, { extensions: documentedCaExtensions(3) }), chain: 'intermediate+root', limit: 0, key: 'own' },
  otherKey: { pem: signCsr(root, otherCsr.csrPem), chain: 'root', limit: 0, key: 'other' },
  leaf: { pem: makeLeaf(root, { commonName: 'adv.example.com', keyType: 'ec' }).certPem, chain: 'root', defect: 'not a CA', key: 'other' },
  expired: { pem: signCsr(root, ownCsr.csrPem, { days: -1 }), chain: 'root', limit: 0, defect: 'expired', key: 'own' },
  outlives: { pem: signCsr(shortRoot, ownCsr.csrPem, { days: 365 }), chain: 'short', limit: 0, defect: 'outlives its issuer', key: 'own' },
  garbage: { pem: 'MIIBgarbage', chain: 'root', defect: 'garbage', key: 'own' },
};

interface ExternalInput {
  phase: 'awaiting' | 'pem' | 'ssm' | 'secret';
  cert: keyof typeof POOL;
  chain?: ChainName;
  csr?: 'own' | 'other' | 'garbage';
  certificateParameterName: string;
  chainParameterName: string;
  version?: number;
  certificateField?: string;
  chainField?: string;
  pathLength?: number;
  validityDays?: number;
  child: boolean;
}

const ssmName = mostly(fc.constantFrom('/pki/issuing/certificate', '/pki/issuing/chain', 'cert', 'arn:aws:ssm:eu-west-1:111122223333:parameter/pki/c'),
  fc.constantFrom('', 'pki/cert', '/pki/cert:3', 'a b', '/pki/ce*rt'), 3);
const input: fc.Arbitrary<ExternalInput> = fc.record({
  phase: fc.constantFrom('awaiting', 'pem', 'pem', 'pem', 'ssm', 'secret'),
  cert: fc.constantFrom(...Object.keys(POOL)),
  chain: maybe(fc.constantFrom(...(Object.keys(CHAINS) as ChainName[]))),
  csr: maybe(fc.constantFrom('own', 'other', 'garbage')),
  certificateParameterName: ssmName,
  chainParameterName: ssmName,
  version: maybe(mostly(fc.integer({ min: 1, max: 9 }), fc.constantFrom(0, -1, 1.5))),
  certificateField: maybe(fc.constantFrom('certificate', 'pem', '', ' ')),
  chainField: maybe(fc.constantFrom('certificateChain', 'pem', '')),
  pathLength: maybe(mostly(fc.integer({ min: 0, max: 3 }), fc.constantFrom(-1, 4, 0.5))),
  validityDays: maybe(fc.constantFrom(30, 365)),
  child: fc.boolean(),
}, { requiredKeys: ['phase', 'cert', 'certificateParameterName', 'chainParameterName', 'child'] });

const CSRS = { own: ownCsr.csrPem, other: otherCsr.csrPem, garbage: 'garbage' };

function externalParent(stack: Stack, i: ExternalInput): CaExternalParent {
  switch (i.phase) {
    case 'awaiting':
      return CaExternalParent.awaitingSignature();
    case 'pem':
      return CaExternalParent.fromPem({ certificate: POOL[i.cert].pem, chain: CHAINS[i.chain ?? POOL[i.cert].chain], csr: i.csr && CSRS[i.csr] });
    case 'ssm':
      return CaExternalParent.fromSsmParameters({
        certificateParameterName: i.certificateParameterName, chainParameterName: i.chainParameterName, chainParameterVersion: i.version,
      });
    default:
      return CaExternalParent.fromSecret(new secretsmanager.Secret(stack, 'Material'), { certificateField: i.certificateField, chainField: i.chainField });
  }
}

/**
 * SSM's naming rules (letters, digits, `_.-/`; a hierarchy starts with `/`). An ARN names a parameter shared from
 * another account, which dynamic references cannot read (aws-cdk#30646).
 */
const SSM_NAME = /^\/?[\w.-]+(\/[\w.-]+)*$/;

function findings(i: ExternalInput, now: number): Finding[] {
  const out: Finding[] = [];
  if (i.pathLength !== undefined && !(Number.isInteger(i.pathLength) && i.pathLength >= 0 && i.pathLength <= 3)) out.push(must('HI-03 path length 0-3', i.pathLength));
  let limit: number | undefined;
  if (i.phase === 'pem') {
    const cert = POOL[i.cert];
    const chain = i.chain ?? cert.chain;
    if (cert.defect === 'garbage') {out.push(must('PEM', cert.pem));} else {
      if (cert.defect === 'not a CA') out.push(must('§3.13 CA certificate', 'CN=adv.example.com'));
      if (cert.defect !== undefined && cert.defect !== 'not a CA') out.push(must(`§3.13/IS-08 ${cert.defect}`, 'CN=Adv Issuing CA'));
      if (chain !== cert.chain) out.push(must('§3.13 chain in order, root last', 'chain'));
      const csrKey = i.csr === 'own' ? 'own' : i.csr === 'other' ? 'other' : undefined;
      if (i.csr === 'garbage') out.push(must('CSR PEM', 'garbage'));
      else if (csrKey !== undefined && cert.defect !== 'not a CA' && csrKey !== cert.key) out.push(must('CSR key', 'CN=Adv Issuing CA'));
      if (cert.defect === undefined && i.validityDays !== undefined) out.push(must('validity chosen by the signer', i.validityDays));
      limit = cert.limit;
    }
  }
  if (i.phase === 'ssm') {
    for (const name of [i.certificateParameterName, i.chainParameterName]) {
      if (!SSM_NAME.test(name) || (name.includes('/') && !name.startsWith('/'))) out.push(must('SSM parameter name', name));
    }
    if (i.certificateParameterName === i.chainParameterName) out.push(must('one parameter each', i.chainParameterName));
    if (i.version !== undefined && !(Number.isInteger(i.version) && i.version >= 1)) out.push(must('SSM version', i.version));
  }
  if (i.phase === 'secret') {
    const c = i.certificateField ?? 'certificate';
    const h = i.chainField ?? 'certificateChain';
    for (const f of [c, h]) if (f.trim() === '') out.push(must('JSON field', f));
    if (c === h) out.push(must('one field each', h));
  }
  const own = i.pathLength ?? limit;
  if (i.pathLength !== undefined && limit !== undefined && i.pathLength > limit) out.push(must('HI-03 pathlen of the certificate', i.pathLength));
  if (i.child && out.length === 0) {
    // Both may hold; the construct reports the path length first.
    if (i.phase === 'awaiting') out.push(must('HI-06 issuer must be ACTIVE', 'awaiting'));
    if (own !== undefined && own < 1) out.push(must('HI-03 path length exhausted', 'pathLength'));
  }
  void now;
  return out;
}

export const externalCaSpec: AdversarialSpec<ExternalInput> = {
  construct: 'SubordinateCa (externalParent)',
  arbitrary: input,
  numRuns: 80,
  build(stack, i) {
    const ca = new SubordinateCa(stack, 'Issuing', {
      subject: { commonName: 'Adv Issuing CA' },
      revocation: { ocsp: true },
      externalParent: externalParent(stack, i),
      pathLength: i.pathLength,
      validity: i.validityDays === undefined ? undefined : CaValidity.duration(Duration.days(i.validityDays)),
    });
    if (i.child) new SubordinateCa(stack, 'Team', { parent: ca, subject: { commonName: 'Adv Team CA' }, revocation: { ocsp: true } });
    return { path: 'Stack/Issuing' };
  },
  oracle: findings,
  checkTemplate(t, i) {
    const problems: string[] = [];
    const activations = resourcesOf(t, 'AWS::ACMPCA::CertificateAuthorityActivation');
    const expected = i.phase === 'awaiting' ? 0 : 1 + (i.child ? 1 : 0);
    if (activations.length !== expected) problems.push(`${activations.length} activations, expected ${expected}`);
    for (const [id, a] of activations) if (a.Status !== 'ACTIVE') problems.push(`activation ${id} status ${a.Status}`);
    const outputs = Object.values((t as { Outputs?: Record<string, { Description?: string }> }).Outputs ?? {});
    if (outputs.length !== 1 || Buffer.byteLength(outputs[0].Description ?? '') > 1024) problems.push('expected one CSR output with a description of at most 1,024 bytes');
    if (i.phase === 'pem') {
      const own = activations.find(([, a]) => typeof a.CertificateChain === 'string');
      if (own?.[1].Certificate !== POOL[i.cert].pem) problems.push('the activation does not carry the given certificate');
    }
    return problems;
  },
};
