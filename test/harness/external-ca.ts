import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KeyPair } from './openssl';
import { externalSigningHint } from '../../src/private-ca/ca-external-parent';

/*
 * An offline CA for the tests of `CaExternalParent`: signs a CSR (Private CA's, or one openssl made to stand in for
 * it) with a root or intermediate made by ./openssl, with the very command line the CSR output's description gives.
 */

/**
 * The extension lines the CSR output's description tells the user to put into ext.cnf (section v3_ca), read back
 * from the description itself, so a test signing with them proves the documented command.
 */
export function documentedCaExtensions(pathLength: number): string[] {
  const hint = externalSigningHint('Stack/Ca', pathLength);
  const printed = /printf '\[v3_ca\]\\n(.*?)' > ext\.cnf/.exec(hint);
  if (!printed) throw new Error(`no printf of ext.cnf in the description: ${hint}`);
  return printed[1].split('\\n').filter((l) => l !== '');
}

/** Options of `signCsr`. */
export interface SignOptions {
  /** `-days`; -1 makes a certificate that has already expired. @default 365 */
  readonly days?: number;
  /** The lines of the [v3_ca] section. @default documentedCaExtensions(0) */
  readonly extensions?: string[];
}

/**
 * Signs `csrPem` with `issuer` as the CSR output's description says:
 * `openssl x509 -req -in ca.csr -CA root.pem -CAkey root.key -CAcreateserial -days N -sha256 -extfile ext.cnf -extensions v3_ca -out ca.pem`.
 */
export function signCsr(issuer: KeyPair, csrPem: string, options: SignOptions = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-pki-external-ca-'));
  try {
    fs.writeFileSync(path.join(dir, 'ca.csr'), csrPem);
    fs.writeFileSync(path.join(dir, 'root.pem'), issuer.certPem);
    fs.writeFileSync(path.join(dir, 'root.key'), issuer.keyPem);
    fs.writeFileSync(path.join(dir, 'ext.cnf'), `[v3_ca]\n${(options.extensions ?? documentedCaExtensions(0)).join('\n')}\n`);
    execFileSync('openssl', ['x509', '-req', '-in', 'ca.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-days', String(options.days ?? 365),
      '-sha256', '-extfile', 'ext.cnf', '-extensions', 'v3_ca', '-out', 'ca.pem'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    return fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
