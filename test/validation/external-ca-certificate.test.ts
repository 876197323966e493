import { X509Certificate } from 'crypto';
import { Lazy } from 'aws-cdk-lib';
import { readCsrPublicKey } from '../../src/validation/der-reader';
import { ExternalCaMaterialFacts, inspectExternalCaMaterial, validateExternalPathLength } from '../../src/validation/external-ca-certificate';
import { documentedCaExtensions, signCsr } from '../harness/external-ca';
import { makeLeaf, makeSelfSignedCa, verifyChain } from '../harness/openssl';
import { makeCsr } from '../harness/x509';

/*
 * The synth-time checks of an externally signed subordinate CA, against material made by real openssl: a root, an
 * intermediate, and a CSR standing in for the one Private CA publishes, signed with the command line the CSR output
 * documents. Every good case is also accepted by `openssl verify -x509_strict`, so the checks agree with the oracle.
 */

const NOW = Date.now();
const DAY = 86_400_000;

const root = makeSelfSignedCa({ commonName: 'Offline Root', keyType: 'ec' });
const otherRoot = makeSelfSignedCa({ commonName: 'Offline Root', keyType: 'ec' }); // same name, another key
const request = makeCsr({ commonName: 'Example Issuing CA', keyType: 'ec' });
const otherRequest = makeCsr({ commonName: 'Example Issuing CA', keyType: 'ec' });
const good = signCsr(root, request.csrPem);

/** An intermediate under the root that leaves room for one CA below it (pathlen 1). */
const intermediateRequest = makeCsr({ commonName: 'Offline Policy CA', keyType: 'ec' });
const intermediate = {
  certPem: signCsr(root, intermediateRequest.csrPem, { extensions: documentedCaExtensions(1), days: 3000 }),
  keyPem: intermediateRequest.keyPem,
};
const underIntermediate = signCsr(intermediate, request.csrPem);

function inspect(material: Partial<ExternalCaMaterialFacts>, now = Date.now()) {
  return inspectExternalCaMaterial({ certificatePem: good, chainPem: root.certPem, csrPem: request.csrPem, ...material }, now);
}

const subjectAndSerial = (pem: string) => {
  const x = new X509Certificate(pem);
  return `"${x.subject.replace(/\n/g, ', ')}" (serial ${x.serialNumber})`;
};

describe('good material', () => {
  test('a CA certificate signed with the documented command, chained to its root, with its CSR: no problems; openssl agrees', () => {
    const result = inspect({});
    expect(result.problems).toEqual([]);
    expect(result.facts).toEqual({
      notBefore: expect.any(Date),
      notAfter: new Date(new X509Certificate(good).validTo),
      pathLengthLimit: 0,
      text: subjectAndSerial(good),
    });
    expect(verifyChain({ leafPem: good, rootPem: root.certPem }).ok).toBe(true);
  });

  test('under an intermediate (chain: intermediate, root): the limit is the least pathlen left', () => {
    const result = inspect({ certificatePem: underIntermediate, chainPem: intermediate.certPem + root.certPem });
    expect(result.problems).toEqual([]);
    expect(result.facts?.pathLengthLimit).toBe(0);
    expect(verifyChain({ leafPem: underIntermediate, intermediatesPem: intermediate.certPem, rootPem: root.certPem }).ok).toBe(true);
    // Without a pathlen of its own, the intermediate's pathlen 1 leaves 0 below this CA.
    const unlimited = signCsr(intermediate, request.csrPem, { extensions: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'] });
    expect(inspect({ certificatePem: unlimited, chainPem: intermediate.certPem + root.certPem }).facts?.pathLengthLimit).toBe(0);
    // Under the root alone (no pathlen anywhere): no limit.
    const free = signCsr(root, request.csrPem, { extensions: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign'] });
    expect(inspect({ certificatePem: free }).facts?.pathLengthLimit).toBeUndefined();
  });

  test('the CSR is optional, and tokens skip every check', () => {
    expect(inspect({ csrPem: undefined }).problems).toEqual([]);
    expect(inspect({ csrPem: Lazy.string({ produce: () => 'x' }) }).problems).toEqual([]);
    expect(inspect({ certificatePem: Lazy.string({ produce: () => 'x' }) })).toEqual({ problems: [] });
    expect(inspect({ chainPem: '{{resolve:ssm:/pki/chain}}' + Lazy.string({ produce: () => '' }) })).toEqual({ problems: [] });
  });

  test('the DER reader finds the CSR\'s public key (the one openssl made the key for)', () => {
    const der = Buffer.from(request.csrPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const fromKey = new X509Certificate(good).publicKey.export({ type: 'spki', format: 'der' });
    expect(Buffer.from(readCsrPublicKey(der)).equals(fromKey)).toBe(true);
  });
});

describe('bad material: each problem names the certificate and the fix', () => {
  test('fails for an end-entity certificate (CA:FALSE)', () => {
    const leaf = makeLeaf(root, { commonName: 'www.example.com', keyType: 'ec' }).certPem;
    expect(inspect({ certificatePem: leaf, csrPem: undefined }).problems).toEqual([
      `certificate ${subjectAndSerial(leaf)} is not a CA certificate (basicConstraints CA:FALSE): sign the CSR again as a CA certificate ` +
        '(basicConstraints=critical,CA:TRUE,pathlen:N and keyUsage=critical,keyCertSign,cRLSign)',
    ]);
  });

  test('fails for a CA certificate without keyCertSign, or with basicConstraints not critical', () => {
    const noSign = signCsr(root, request.csrPem, { extensions: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,digitalSignature,cRLSign'] });
    expect(inspect({ certificatePem: noSign }).problems).toEqual([
      expect.stringMatching(/^certificate ".*" \(serial [0-9A-F]+\) has keyUsage "digitalSignature,cRLSign" without keyCertSign, so it cannot sign certificates: sign the CSR again/),
    ]);
    const notCritical = signCsr(root, request.csrPem, { extensions: ['basicConstraints=CA:TRUE', 'keyUsage=critical,keyCertSign'] });
    expect(inspect({ certificatePem: notCritical }).problems).toEqual([
      expect.stringMatching(/has basicConstraints not marked critical, which Private CA refuses: sign the CSR again as a CA certificate/),
    ]);
  });

  test('fails for a key that does not match the CSR', () => {
    const problems = inspect({ csrPem: otherRequest.csrPem }).problems;
    expect(problems).toEqual([expect.stringMatching(new RegExp(
      `^certificate ${escape(subjectAndSerial(good))} has public key sha256:[0-9a-f]{16}, but this CA's CSR has sha256:[0-9a-f]{16}: ` +
        'the external CA signed another request\\. Sign the CSR of this CA'))]);
    const [certKey, csrKey] = /(sha256:\w+).*(sha256:\w+)/.exec(problems[0])!.slice(1);
    expect(certKey).not.toBe(csrKey);
  });

  test('fails for a chain out of order, one that did not issue the certificate, one that stops short of the root, one with the certificate', () => {
    const material = { certificatePem: underIntermediate };
    expect(inspect({ ...material, chainPem: root.certPem + intermediate.certPem }).problems).toEqual([
      `chain is out of order: certificate ${subjectAndSerial(underIntermediate)} is issued by chain certificate 2 ${subjectAndSerial(intermediate.certPem)}, ` +
        `not by chain certificate 1 ${subjectAndSerial(root.certPem)}: order the chain from the certificate's issuer up to the root (root last)`,
    ]);
    expect(inspect({ chainPem: otherRoot.certPem }).problems).toEqual([
      `chain certificate 1 ${subjectAndSerial(otherRoot.certPem)} did not issue certificate ${subjectAndSerial(good)} (its issuer is "CN=Offline Root", ` +
        'and no certificate of the chain signed it): order the chain from the certificate\'s issuer up to the root (root last)',
    ]);
    expect(inspect({ ...material, chainPem: intermediate.certPem }).problems).toEqual([
      expect.stringMatching(/^chain ends with "CN=Offline Policy CA" \(serial [0-9A-F]+\), which is not self-signed: end the chain with the root CA's certificate/),
    ]);
    expect(inspect({ chainPem: good + root.certPem }).problems).toEqual([
      expect.stringMatching(/^chain contains the certificate ".*" \(serial [0-9A-F]+\) itself, which Private CA refuses: give only its issuers/),
    ]);
  });

  test('fails for a certificate valid beyond its parent', () => {
    const shortRoot = makeSelfSignedCa({ commonName: 'Short Root', days: 30, keyType: 'ec' });
    const long = signCsr(shortRoot, request.csrPem, { days: 365 });
    const problems = inspect({ certificatePem: long, chainPem: shortRoot.certPem }).problems;
    expect(problems).toEqual([expect.stringMatching(new RegExp(
      `^certificate ${escape(subjectAndSerial(long))} is valid from \\S+Z to \\S+Z, beyond its issuer \\(chain certificate 1 ${escape(subjectAndSerial(shortRoot.certPem))}, ` +
        'valid from \\S+Z to \\S+Z\\): a certificate cannot outlive its issuer\\. Have the external CA sign it again with a validity inside the issuer\'s'))]);
    // openssl does not refuse it, which is why the library checks: Private CA's own rule (digest IS-08) does.
    expect(verifyChain({ leafPem: long, rootPem: shortRoot.certPem }).ok).toBe(true);
  });

  test('fails for an expired certificate, and one not valid yet', () => {
    const expired = signCsr(root, request.csrPem, { days: -1 });
    expect(inspect({ certificatePem: expired }).problems).toContainEqual(
      expect.stringMatching(new RegExp(`^certificate ${escape(subjectAndSerial(expired))} expired on \\S+Z: have the external CA sign a new certificate$`)));
    const notAfter = new Date(new X509Certificate(good).validTo).getTime();
    expect(inspect({}, notAfter + DAY).problems).toContainEqual(expect.stringMatching(/^certificate .* expired on/));
    expect(inspect({}, NOW - 2 * DAY).problems).toContainEqual(
      expect.stringMatching(/^certificate .* is not valid before \S+Z: deploy after that date, or have the external CA sign a certificate valid from now$/));
  });

  test('fails for garbage PEM, a private key, two certificates, an empty chain, a self-signed certificate, an oversized one', () => {
    expect(inspect({ certificatePem: 'not a certificate' }).problems).toEqual([
      'certificate "not a certificate" is not PEM: give the text from "-----BEGIN CERTIFICATE-----" to "-----END CERTIFICATE-----"',
    ]);
    expect(inspect({ certificatePem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' }).problems).toEqual([
      expect.stringMatching(/^certificate is not a readable X\.509 certificate \(.*\): copy the PEM the external CA returned, unchanged$/),
    ]);
    expect(inspect({ certificatePem: '-----BEGIN CERTIFICATE-----\n@@@\n-----END CERTIFICATE-----\n' }).problems).toEqual([
      'certificate has a CERTIFICATE block whose body is not base64: copy the PEM again, unchanged',
    ]);
    expect(inspect({ certificatePem: good + request.keyPem }).problems).toEqual([
      'certificate holds a PEM "PRIVATE KEY" block (never put a private key here: the CA keeps its own): give CERTIFICATE blocks only',
    ]);
    expect(inspect({ certificatePem: good + good }).problems).toEqual([
      'certificate holds 2 PEM certificates: give only this CA\'s certificate there, and its issuers in chain',
    ]);
    expect(inspect({ chainPem: '' }).problems).toEqual([
      'chain holds no certificate: a subordinate CA is imported with its chain, the certificate\'s issuer first and the root last',
    ]);
    expect(inspect({ certificatePem: root.certPem, csrPem: undefined }).problems).toContainEqual(
      expect.stringMatching(/^certificate "CN=Offline Root" \(serial [0-9A-F]+\) is self-signed: Private CA imports a self-signed certificate only as a root/));
    expect(inspect({ certificatePem: good + ' '.repeat(33_000) }).problems).toEqual([
      expect.stringMatching(/^certificate is \d+ bytes, more than the 32768 bytes Private CA imports$/),
    ]);
    expect(inspect({ csrPem: 'garbage' }).problems).toEqual([
      'csr "garbage" is not PEM: give the text from "-----BEGIN CERTIFICATE REQUEST-----" to "-----END CERTIFICATE REQUEST-----"',
    ]);
  });

  test('fails for an issuer whose pathlen leaves no room for this CA', () => {
    const tight = {
      certPem: signCsr(root, intermediateRequest.csrPem, { extensions: documentedCaExtensions(0) }),
      keyPem: intermediateRequest.keyPem,
    };
    const below = signCsr(tight, request.csrPem, { days: 300 });
    expect(inspect({ certificatePem: below, chainPem: tight.certPem + root.certPem }).problems).toEqual([
      expect.stringMatching(/^chain certificate 1 "CN=Offline Policy CA" \(serial [0-9A-F]+\) has pathlen 0, which allows 0 CA level\(s\) below it, but this CA sits 1 level\(s\) below it/),
    ]);
    // openssl agrees: the CA itself verifies, but nothing it issues does (pathlen counts the CAs between issuer and leaf).
    expect(verifyChain({ leafPem: below, intermediatesPem: tight.certPem, rootPem: root.certPem }).ok).toBe(true);
    const leaf = makeLeaf({ certPem: below, keyPem: request.keyPem }, { commonName: 'www.example.com', keyType: 'ec' }).certPem;
    const viaBelow = verifyChain({ leafPem: leaf, intermediatesPem: below + tight.certPem, rootPem: root.certPem });
    expect(viaBelow.output).toMatch(/path length constraint exceeded/);
    expect(verifyChain({
      leafPem: makeLeaf({ certPem: good, keyPem: request.keyPem }, { commonName: 'www.example.com', keyType: 'ec' }).certPem,
      intermediatesPem: good,
      rootPem: root.certPem,
    }).ok).toBe(true);
  });
});

describe('validateExternalPathLength', () => {
  const facts = { notBefore: new Date(NOW), notAfter: new Date(NOW + DAY), pathLengthLimit: 1, text: '"CN=x" (serial 01)' };
  test('a pathLength within the certificate\'s limit passes; unknown limits and tokens are skipped', () => {
    expect(validateExternalPathLength(1, facts)).toEqual([]);
    expect(validateExternalPathLength(3, { ...facts, pathLengthLimit: undefined })).toEqual([]);
    expect(validateExternalPathLength(3, undefined)).toEqual([]);
    expect(validateExternalPathLength(undefined, facts)).toEqual([]);
  });
  test('fails for a pathLength above it', () => {
    expect(validateExternalPathLength(2, facts)).toEqual([
      'pathLength 2 is more than the certificate "CN=x" (serial 01) allows (1 CA level(s) below it, from the pathlen of its basicConstraints and of ' +
        'its issuers): leave pathLength out, or have the external CA sign a certificate with a larger pathlen',
    ]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
