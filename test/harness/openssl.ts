import { execFileSync, spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tls from 'tls';

/*
 * The PKI oracle: real openssl for verifying chains (and making test material), and a real
 * node:tls handshake on 127.0.0.1.
 */

/** Key types the generators support. */
export type KeyType = 'rsa' | 'ec';

/** A certificate with its private key, both PEM. */
export interface KeyPair {
  readonly certPem: string;
  readonly keyPem: string;
}

/** Options for generated certificates. */
export interface CertOptions {
  readonly commonName: string;
  /** DNS names for the subjectAltName of a leaf. @default [commonName] */
  readonly dnsNames?: string[];
  /** @default 'rsa' */
  readonly keyType?: KeyType;
  /** @default 365 (3650 for a root) */
  readonly days?: number;
}

const MIN_CONFIG = '[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = placeholder\n';

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-pki-openssl-'));
}

function openssl(args: string[], cwd: string): string {
  return execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function newKey(dir: string, keyType: KeyType): string {
  const file = path.join(dir, 'key.pem');
  const opts = keyType === 'ec' ? ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'];
  openssl(['genpkey', ...opts, '-out', file], dir);
  return file;
}

/** A self-signed root CA (basicConstraints critical CA:TRUE, keyCertSign + cRLSign, SKI). */
export function makeSelfSignedCa(options: CertOptions): KeyPair {
  const dir = scratch();
  fs.writeFileSync(path.join(dir, 'min.cnf'), MIN_CONFIG);
  const key = newKey(dir, options.keyType ?? 'rsa');
  openssl(['req', '-x509', '-new', '-config', 'min.cnf', '-key', key, '-subj', `/CN=${options.commonName}`, '-days', String(options.days ?? 3650), '-sha256',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-addext', 'subjectKeyIdentifier=hash',
    '-out', 'cert.pem'], dir);
  return read(dir);
}

/** A subordinate CA signed by `issuer` (pathlen 0). */
export function makeIntermediate(issuer: KeyPair, options: CertOptions): KeyPair {
  return signed(issuer, options, [
    'basicConstraints=critical,CA:TRUE,pathlen:0',
    'keyUsage=critical,keyCertSign,cRLSign',
    'subjectKeyIdentifier=hash',
    'authorityKeyIdentifier=keyid:always',
  ]);
}

/** A TLS server certificate signed by `issuer`. */
export function makeLeaf(issuer: KeyPair, options: CertOptions): KeyPair {
  const keyType = options.keyType ?? 'rsa';
  const names = (options.dnsNames ?? [options.commonName]).map((n) => `DNS:${n}`).join(',');
  return signed(issuer, options, [
    'basicConstraints=critical,CA:FALSE',
    `keyUsage=critical,${keyType === 'ec' ? 'digitalSignature' : 'digitalSignature,keyEncipherment'}`,
    'extendedKeyUsage=serverAuth',
    `subjectAltName=${names}`,
    'subjectKeyIdentifier=hash',
    'authorityKeyIdentifier=keyid:always',
  ]);
}

function signed(issuer: KeyPair, options: CertOptions, extensions: string[]): KeyPair {
  const dir = scratch();
  fs.writeFileSync(path.join(dir, 'min.cnf'), MIN_CONFIG);
  fs.writeFileSync(path.join(dir, 'ext.cnf'), `[ext]\n${extensions.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'issuer.pem'), issuer.certPem);
  fs.writeFileSync(path.join(dir, 'issuer.key'), issuer.keyPem);
  const key = newKey(dir, options.keyType ?? 'rsa');
  openssl(['req', '-new', '-config', 'min.cnf', '-key', key, '-subj', `/CN=${options.commonName}`, '-out', 'req.csr'], dir);
  openssl(['x509', '-req', '-in', 'req.csr', '-CA', 'issuer.pem', '-CAkey', 'issuer.key', '-set_serial', `0x${randomBytes(16).toString('hex').replace(/^[89a-f]/, '1')}`,
    '-days', String(options.days ?? 365), '-sha256', '-extfile', 'ext.cnf', '-extensions', 'ext', '-out', 'cert.pem'], dir);
  return read(dir);
}

function read(dir: string): KeyPair {
  const pair = { certPem: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'), keyPem: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8') };
  fs.rmSync(dir, { recursive: true, force: true });
  return pair;
}

/** What to verify with `openssl verify -x509_strict`. */
export interface VerifyOptions {
  readonly leafPem: string;
  /** Intermediate CA certificates (untrusted), PEM, concatenated. */
  readonly intermediatesPem?: string;
  /** The trust anchor(s), PEM. */
  readonly rootPem: string;
  /** e.g. `sslserver` */
  readonly purpose?: string;
  /** Check the leaf against this DNS name. */
  readonly hostname?: string;
  /** Verify as of this time (to test expiry). @default now */
  readonly atTime?: Date;
}

/** Runs `openssl verify -x509_strict`; never throws on a verification failure. */
export function verifyChain(options: VerifyOptions): { ok: boolean; output: string } {
  const dir = scratch();
  try {
    fs.writeFileSync(path.join(dir, 'root.pem'), options.rootPem);
    fs.writeFileSync(path.join(dir, 'leaf.pem'), options.leafPem);
    const args = ['verify', '-x509_strict', '-CAfile', 'root.pem'];
    if (options.intermediatesPem) {
      fs.writeFileSync(path.join(dir, 'inter.pem'), options.intermediatesPem);
      args.push('-untrusted', 'inter.pem');
    }
    if (options.purpose) args.push('-purpose', options.purpose);
    if (options.hostname) args.push('-verify_hostname', options.hostname);
    if (options.atTime) args.push('-attime', String(Math.floor(options.atTime.getTime() / 1000)));
    args.push('leaf.pem');
    const res = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (res.error) throw new Error(`cannot run openssl: ${res.error.message}`);
    const output = `${res.stdout}${res.stderr}`.trim();
    return { ok: res.status === 0 && /: OK$/m.test(output), output };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A TLS handshake between a server and a client, both on 127.0.0.1. */
export interface HandshakeOptions {
  readonly keyPem: string;
  /** The server's certificate followed by its intermediates. */
  readonly certChainPem: string;
  /** What the client trusts. */
  readonly caPem: string;
  readonly servername: string;
}

/** Runs one real handshake and reports whether the client accepted the server. */
export function tlsHandshake(options: HandshakeOptions): Promise<{ authorized: boolean; error?: string }> {
  return new Promise((resolve, reject) => {
    const server = tls.createServer({ key: options.keyPem, cert: options.certChainPem }, (socket) => socket.end());
    server.on('tlsClientError', () => undefined);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      const client = tls.connect({ host: '127.0.0.1', port, ca: options.caPem, servername: options.servername, rejectUnauthorized: false }, () => {
        const result = { authorized: client.authorized, error: client.authorizationError ? String(client.authorizationError) : undefined };
        client.destroy();
        server.close(() => resolve(result));
      });
      client.on('error', (err) => server.close(() => reject(err)));
    });
  });
}
