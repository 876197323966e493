import * as fc from 'fast-check';
import { Hierarchy, makeHierarchy } from './imported-certificate-fixtures';
import { REIMPORT_EVENT_KEY, SecretSource } from '../../src/handlers/imported-certificate/contract';
import { materialFromSecretString, planImport } from '../../src/handlers/imported-certificate/logic';
import { checkMaterial, signatureAlgorithmOid } from '../../src/handlers/imported-certificate/material';

/*
 * Issue 13: property-based fuzzing (fast-check) of the ImportedCertificate handler's pure input
 * handling: material checks (malformed PEM, wrong key, chain out of order, oversized input) and
 * import planning. Each input gets a clear message or a result, never a crash, and no message
 * quotes the material. FUZZ_RUNS sets the cases per property (default 200).
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const params = { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) };

let h: Hierarchy;
beforeAll(() => {
  h = makeHierarchy();
});

/** Base64 lines of a PEM block (what must never appear in a message). */
function bodyLines(pem: string): string[] {
  return pem.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
}

/** One mutation of a PEM text. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), char: fc.constantFrom('A', '/', '=', '-', '\n', ' ', '\u00e9', '\u0000') }),
  fc.record({ kind: fc.constant('drop-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('relabel' as const), label: fc.constantFrom('CERTIFICATE', 'PRIVATE KEY', 'X509 CRL', 'ENCRYPTED PRIVATE KEY', 'PUBLIC KEY') }),
  fc.record({ kind: fc.constant('repeat' as const), times: fc.integer({ min: 2, max: 400 }) }),
  fc.record({ kind: fc.constant('garbage' as const), text: fc.string({ maxLength: 300 }) }),
  fc.record({ kind: fc.constant('none' as const) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(pem: string, m: Mutation): string {
  switch (m.kind) {
    case 'truncate': return pem.slice(0, m.at % (pem.length + 1));
    case 'flip': {
      const i = m.at % pem.length;
      return pem.slice(0, i) + m.char + pem.slice(i + 1);
    }
    case 'drop-line': {
      const lines = pem.split('\n');
      lines.splice(m.at % lines.length, 1);
      return lines.join('\n');
    }
    case 'relabel': return pem.replace(/(BEGIN|END) [A-Z0-9 ]+-----/g, `$1 ${m.label}-----`);
    case 'repeat': return pem.repeat(m.times);
    case 'garbage': return m.text;
    case 'none': return pem;
  }
}

describe('issue 13 fuzz: checkMaterial', () => {
  test(`malformed PEM, wrong keys, chains in any order, oversized input: a result or clear problems, never a crash (${RUNS} cases)`, () => {
    const pieces = () => ({
      certs: [h.leaf.certPem, h.leaf2.certPem, h.ecLeaf.certPem, h.intermediate.certPem, h.root.certPem],
      keys: [h.leaf.keyPem, h.leaf2.keyPem, h.ecLeaf.keyPem, h.root.keyPem],
    });
    fc.assert(fc.property(
      fc.nat(), fc.nat(), fc.array(fc.nat(), { maxLength: 4 }), mutation, mutation, mutation,
      (ci, ki, chainIdx, mc, mk, mch) => {
        const { certs, keys } = pieces();
        const certificate = mutate(certs[ci % certs.length], mc);
        const privateKey = mutate(keys[ki % keys.length], mk);
        const chain = mutate(chainIdx.map((i) => certs[i % certs.length]).join(''), mch);
        const result = checkMaterial({ certificate, privateKey, chain });
        if (result.facts === undefined) {
          expect(result.problems.length).toBeGreaterThan(0);
        } else {
          expect(result.problems).toEqual([]);
        }
        for (const problem of result.problems) {
          expect(problem).toMatch(/^(the |certificate \d+ of the chain ).+\.$/s);
          expect(problem).not.toContain('-----BEGIN');
          for (const line of [...bodyLines(certificate), ...bodyLines(privateKey)].slice(0, 8)) expect(problem).not.toContain(line);
        }
      }), params);
  });

  test('the named mistakes get their own message', () => {
    const wrongKey = checkMaterial({ certificate: h.leaf.certPem, privateKey: h.leaf2.keyPem, chain: h.chain });
    expect(wrongKey.problems).toEqual([expect.stringMatching(/^the private key does not match the certificate/)]);
    const reversed = checkMaterial({ certificate: h.leaf.certPem, privateKey: h.leaf.keyPem, chain: h.root.certPem + h.intermediate.certPem });
    expect(reversed.problems).toEqual([expect.stringMatching(/^the chain is out of order/)]);
    const oversized = checkMaterial({ certificate: h.leaf.certPem.repeat(40), privateKey: h.leaf.keyPem });
    expect(oversized.problems).toEqual([expect.stringMatching(/^the certificate is \d+ bytes, over ACM's limit of 32768\.$/)]);
  });

  test(`the signature algorithm reader never throws on arbitrary bytes (${RUNS} cases)`, () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
      const oid = signatureAlgorithmOid(bytes);
      expect(oid === undefined || /^\d+(\.\d+)+$/.test(oid)).toBe(true);
    }), params);
  });
});

describe('issue 13 fuzz: import planning', () => {
  const json = fc.jsonValue({ maxDepth: 3 });

  test(`planImport: any event is planned or refused with an Error naming the field (${RUNS} cases)`, () => {
    const events = fc.oneof(
      json,
      fc.record({ RequestType: fc.constantFrom('Create', 'Update', 'Delete', 'Bogus'), ResourceProperties: json, PhysicalResourceId: fc.oneof(fc.string(), json) }),
      fc.record({ [REIMPORT_EVENT_KEY]: fc.oneof(json, fc.record({ CertificateArn: fc.oneof(fc.string(), json), Source: json, Trigger: json })) }),
    );
    fc.assert(fc.property(events, (event) => {
      try {
        expect(['import', 'update', 'delete', 'none', 'check']).toContain(planImport(event).action);
      } catch (err) {
        expect(err).toBeInstanceOf(Error);
        expect((err as Error).constructor).toBe(Error);
        expect((err as Error).message).toMatch(/is missing|neither SecretsManager nor SSM|is not an ACM certificate ARN|unknown event/);
      }
    }), params);
  });

  test(`materialFromSecretString: any secret value gives material or an Error that quotes no value (${RUNS} cases)`, () => {
    const source: SecretSource = {
      Type: 'SecretsManager',
      SecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:s-AbCdEf',
      CertificateField: 'certificate',
      PrivateKeyField: 'privateKey',
      ChainField: 'certificateChain',
      ChainRequired: 'false',
    };
    const marker = 'MARKER-VALUE-7f3a';
    const values = fc.oneof(
      fc.string(),
      fc.dictionary(fc.constantFrom('certificate', 'privateKey', 'certificateChain', 'other'), fc.oneof(fc.constant(marker), fc.integer(), fc.constant(null), json))
        .map((o) => JSON.stringify(o)),
    );
    fc.assert(fc.property(fc.option(values, { nil: undefined }), (value) => {
      try {
        const material = materialFromSecretString(value, source);
        expect(typeof material.certificate).toBe('string');
      } catch (err) {
        expect((err as Error).constructor).toBe(Error);
        expect((err as Error).message).toMatch(/^secret arn:aws:secretsmanager/);
        expect((err as Error).message).not.toContain(marker);
      }
    }), params);
  });
});
