import { execFileSync } from 'child_process';
import { createPrivateKey, randomBytes, X509Certificate } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KeyPair, makeIntermediate, makeLeaf, makeSelfSignedCa } from '../harness/openssl';

/*
 * Test material for ImportedCertificate, made with openssl and node:crypto: a CA hierarchy with
 * leaves, and deliberately broken variants for each check of the handler.
 */

/** A hierarchy: root → intermediate → leaves. */
export interface Hierarchy {
  readonly root: KeyPair;
  readonly intermediate: KeyPair;
  readonly leaf: KeyPair;
  readonly leaf2: KeyPair;
  readonly ecLeaf: KeyPair;
  /** The proper chain of the leaves: intermediate, then root. */
  readonly chain: string;
}

export function makeHierarchy(): Hierarchy {
  const root = makeSelfSignedCa({ commonName: 'Import Test Root' });
  const intermediate = makeIntermediate(root, { commonName: 'Import Test Intermediate' });
  return {
    root,
    intermediate,
    leaf: makeLeaf(intermediate, { commonName: 'www.example.com' }),
    leaf2: makeLeaf(intermediate, { commonName: 'www.example.com' }),
    ecLeaf: makeLeaf(intermediate, { commonName: 'www.example.com', keyType: 'ec' }),
    chain: intermediate.certPem + root.certPem,
  };
}

function inScratch<T>(fn: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-pki-import-'));
  try {
    return fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
}

const CNF = '[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = placeholder\n';

/** A self-signed certificate with a key made by `genpkey` with `keyArgs` (e.g. Ed25519, secp256k1, RSA 1536), signed with `digest` (default SHA-256). */
export function selfSigned(keyArgs: string[], digest?: 'sha1' | 'md5'): KeyPair {
  return inScratch((dir) => {
    fs.writeFileSync(path.join(dir, 'min.cnf'), CNF);
    openssl(dir, ['genpkey', ...keyArgs, '-out', 'key.pem']);
    openssl(dir, ['req', '-x509', '-new', '-config', 'min.cnf', '-key', 'key.pem', '-subj', '/CN=odd.example.com', '-days', '30',
      '-addext', 'subjectAltName=DNS:odd.example.com', ...(digest ? [`-${digest}`] : []), '-out', 'cert.pem']);
    return { certPem: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'), keyPem: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8') };
  });
}

/** An X.509 version 1 certificate (`openssl x509 -req` without extensions). */
export function v1Certificate(): KeyPair {
  return inScratch((dir) => {
    fs.writeFileSync(path.join(dir, 'min.cnf'), CNF);
    openssl(dir, ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'key.pem']);
    openssl(dir, ['req', '-new', '-config', 'min.cnf', '-key', 'key.pem', '-subj', '/CN=v1.example.com', '-out', 'req.csr']);
    openssl(dir, ['x509', '-req', '-in', 'req.csr', '-signkey', 'key.pem', '-days', '30', '-out', 'cert.pem']);
    return { certPem: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'), keyPem: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8') };
  });
}

/** The key encrypted as PKCS#8 (`ENCRYPTED PRIVATE KEY`). */
export function encryptedPkcs8(keyPem: string): string {
  return createPrivateKey(keyPem).export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'secret-pass' }) as string;
}

/** The RSA key encrypted the legacy OpenSSL way (`Proc-Type: 4,ENCRYPTED`). */
export function encryptedLegacy(keyPem: string): string {
  return createPrivateKey(keyPem).export({ format: 'pem', type: 'pkcs1', cipher: 'aes-256-cbc', passphrase: 'secret-pass' }) as string;
}

/** The certificate as DER, as a binary string. */
export function derOf(certPem: string): string {
  return new X509Certificate(certPem).raw.toString('latin1');
}

/** The certificate as bare base64 DER (PEM body without the armour). */
export function bareBase64Of(certPem: string): string {
  return new X509Certificate(certPem).raw.toString('base64');
}

/**
 * A `PRIVATE KEY` block over ACM's 5,120-byte limit. The size check runs before parsing, so the body
 * is random (a real RSA 8192 key takes half a minute to generate).
 */
export function oversizedKey(): string {
  const body = randomBytes(4200).toString('base64').match(/.{1,64}/g)!.join('\n');
  return `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`;
}

/** Serial number as the decimal string moto's DescribeCertificate reports. */
export function decimalSerial(certPem: string): string {
  return BigInt(`0x${new X509Certificate(certPem).serialNumber}`).toString();
}
