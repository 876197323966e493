import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/*
 * Small openssl-backed helpers for tests that handle CA material from moto: making a CSR for an
 * end-entity certificate, reading a certificate's extensions as openssl prints them, and picking
 * the error lines out of `openssl verify` output (see `verifyChain` in ./openssl).
 */

/** A CSR with its private key, both PEM. */
export interface CsrPair {
  readonly csrPem: string;
  readonly keyPem: string;
}

/** Options of `makeCsr`. */
export interface CsrOptions {
  readonly commonName: string;
  /** DNS names for a subjectAltName extension request. @default [commonName] */
  readonly dnsNames?: string[];
  /** @default 'rsa' (2048 bits); 'ec' is P-256 */
  readonly keyType?: 'rsa' | 'ec';
}

/** Generates a key and a CSR for it with `openssl req` (subject CN, SAN extension request). */
export function makeCsr(options: CsrOptions): CsrPair {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-pki-csr-'));
  try {
    const keyOpts = options.keyType === 'ec' ? ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'];
    execFileSync('openssl', ['genpkey', ...keyOpts, '-out', 'key.pem'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    fs.writeFileSync(path.join(dir, 'req.cnf'), '[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = placeholder\n');
    const san = (options.dnsNames ?? [options.commonName]).map((n) => `DNS:${n}`).join(',');
    execFileSync('openssl', ['req', '-new', '-config', 'req.cnf', '-key', 'key.pem', '-subj', `/CN=${options.commonName}`, '-addext', `subjectAltName=${san}`, '-out', 'req.csr'],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    return { csrPem: fs.readFileSync(path.join(dir, 'req.csr'), 'utf8'), keyPem: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The subject line of a CSR as `openssl req -noout -subject` prints it, e.g. `subject=C = US, CN = x`. */
export function csrSubject(csrPem: string): string {
  const res = spawnSync('openssl', ['req', '-noout', '-subject'], { input: csrPem, encoding: 'utf8' });
  if (res.error || res.status !== 0) {
    throw new Error(`openssl req -subject failed: ${res.error?.message ?? res.stderr}`);
  }
  return res.stdout.trim();
}

/** One X.509 extension as `openssl x509 -ext` prints it. */
export interface PrintedExtension {
  readonly critical: boolean;
  /** The value lines, trimmed and joined with '\n'. */
  readonly value: string;
}

/**
 * The certificate's extensions as printed by `openssl x509 -noout -ext <names>`, keyed by
 * openssl's display name (e.g. 'X509v3 Basic Constraints'). Absent extensions are absent keys.
 * @param names openssl's short names, e.g. basicConstraints, keyUsage, subjectKeyIdentifier
 */
export function printedExtensions(certPem: string, names: string[]): Record<string, PrintedExtension> {
  const res = spawnSync('openssl', ['x509', '-noout', '-ext', names.join(',')], { input: certPem, encoding: 'utf8' });
  if (res.error || res.status !== 0) {
    throw new Error(`openssl x509 -ext failed: ${res.error?.message ?? res.stderr}`);
  }
  const out: Record<string, { critical: boolean; value: string[] }> = {};
  let current: { critical: boolean; value: string[] } | undefined;
  for (const line of res.stdout.split('\n')) {
    if (!line.trim()) continue;
    if (/^\S/.test(line)) {
      const m = /^(.*?):\s*(critical)?\s*$/.exec(line);
      if (!m) throw new Error(`unexpected openssl -ext output line: ${line}`);
      current = { critical: m[2] === 'critical', value: [] };
      out[m[1]] = current;
    } else if (current) {
      current.value.push(line.trim());
    }
  }
  const result: Record<string, PrintedExtension> = {};
  for (const [k, v] of Object.entries(out)) result[k] = { critical: v.critical, value: v.value.join('\n') };
  return result;
}

/** The `error N at D depth lookup: message` lines of `openssl verify` output, in order. */
export function verifyErrorLines(output: string): string[] {
  return output.split('\n').map((l) => l.trim()).filter((l) => /^error \d+ at \d+ depth lookup:/.test(l));
}
