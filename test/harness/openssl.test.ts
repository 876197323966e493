import { makeIntermediate, makeLeaf, makeSelfSignedCa, tlsHandshake, verifyChain } from './openssl';

describe('openssl oracle', () => {
  const root = makeSelfSignedCa({ commonName: 'Oracle Root' });
  const intermediate = makeIntermediate(root, { commonName: 'Oracle Issuing CA' });
  const leaf = makeLeaf(intermediate, { commonName: 'www.example.com', dnsNames: ['www.example.com', 'example.com'] });

  test('a correct root -> intermediate -> leaf chain verifies under -x509_strict', () => {
    const result = verifyChain({ leafPem: leaf.certPem, intermediatesPem: intermediate.certPem, rootPem: root.certPem, purpose: 'sslserver', hostname: 'example.com' });
    expect(result).toEqual({ ok: true, output: expect.stringMatching(/leaf.pem: OK/) });
  });

  test('an EC chain verifies too', () => {
    const ecRoot = makeSelfSignedCa({ commonName: 'EC Root', keyType: 'ec' });
    const ecLeaf = makeLeaf(ecRoot, { commonName: 'ec.example.com', keyType: 'ec' });
    expect(verifyChain({ leafPem: ecLeaf.certPem, rootPem: ecRoot.certPem, purpose: 'sslserver' }).ok).toBe(true);
  });

  test('a missing intermediate fails', () => {
    const result = verifyChain({ leafPem: leaf.certPem, rootPem: root.certPem });
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/unable to get local issuer certificate/);
  });

  test('a leaf of another CA fails', () => {
    const other = makeSelfSignedCa({ commonName: 'Other Root' });
    const stranger = makeLeaf(other, { commonName: 'www.example.com' });
    expect(verifyChain({ leafPem: stranger.certPem, intermediatesPem: intermediate.certPem, rootPem: root.certPem }).ok).toBe(false);
  });

  test('a hostname the leaf does not carry fails', () => {
    const result = verifyChain({ leafPem: leaf.certPem, intermediatesPem: intermediate.certPem, rootPem: root.certPem, hostname: 'evil.example.org' });
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/hostname mismatch/i);
  });

  test('an expired leaf fails', () => {
    const shortLived = makeLeaf(root, { commonName: 'short.example.com', days: 1 });
    const later = new Date(Date.now() + 3 * 24 * 3600 * 1000);
    const result = verifyChain({ leafPem: shortLived.certPem, rootPem: root.certPem, atTime: later });
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/certificate has expired/);
  });

  test('a CA certificate without keyCertSign is refused by strict checks', () => {
    // A leaf used as an issuer: CA:FALSE, so anything it signs must fail.
    const bogus = makeLeaf(leaf, { commonName: 'child.example.com' });
    const result = verifyChain({ leafPem: bogus.certPem, intermediatesPem: `${leaf.certPem}${intermediate.certPem}`, rootPem: root.certPem });
    expect(result.ok).toBe(false);
  });

  test('a real TLS handshake on 127.0.0.1 accepts the full chain and refuses a wrong name or trust anchor', async () => {
    const chain = `${leaf.certPem}${intermediate.certPem}`;
    await expect(tlsHandshake({ keyPem: leaf.keyPem, certChainPem: chain, caPem: root.certPem, servername: 'www.example.com' }))
      .resolves.toEqual({ authorized: true, error: undefined });
    const wrongName = await tlsHandshake({ keyPem: leaf.keyPem, certChainPem: chain, caPem: root.certPem, servername: 'other.example.com' });
    expect(wrongName.authorized).toBe(false);
    expect(wrongName.error).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    const untrusted = await tlsHandshake({ keyPem: leaf.keyPem, certChainPem: chain, caPem: makeSelfSignedCa({ commonName: 'X' }).certPem, servername: 'www.example.com' });
    expect(untrusted).toEqual({ authorized: false, error: expect.stringMatching(/UNABLE_TO_GET_ISSUER_CERT|unable to get/i) });
  });
});
