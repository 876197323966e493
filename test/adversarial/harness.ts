import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { PkiChecks } from '../../src/checks/pki-checks';
import { PkiValidationError } from '../../src/validation/errors';
import { synthTemplate } from '../harness/cfn-lint';
import { WORK_DIR } from '../harness/paths';

/*
 * The adversarial property harness. For each construct a spec gives an arbitrary of inputs, a builder, an independent
 * oracle (written from the reference digests, never calling src/validation) and a template checker. Every generated
 * input must either synthesize into a template the checker accepts, or throw a PkiValidationError that names the
 * construct path and the offending value. Any other exception fails the property.
 *
 * Adding a construct (DnsValidatedCertificate, PkiChecks, ...): write an `AdversarialSpec` next to the others in
 * specs/<area>.ts (arbitrary, build, oracle from the digests, checkTemplate) and call `adversarial(spec)` in a test
 * file; counts, seeding, sampling for cfn-lint and the outcome rules come from here.
 *
 * Environment: FC_SEED picks the seed (fixed by default; `random` for a fresh one each run, printed); FC_SCALE multiplies
 * every numRuns.
 */

/** What the oracle says about one input. `must`: the documented rules forbid it; `may`: the documents are silent or disagree. */
export interface Finding {
  readonly rule: string;
  readonly value: unknown;
  readonly severity: 'must' | 'may';
}

/** Shorthands for findings. */
export const must = (rule: string, value: unknown): Finding => ({ rule, value, severity: 'must' });
export const may = (rule: string, value: unknown): Finding => ({ rule, value, severity: 'may' });

/** What `build` returns: the path of the construct under test (its errors must name it). */
export interface Built {
  readonly path: string;
}

/** One construct's adversarial property. */
export interface AdversarialSpec<I> {
  /** The name recorded in `.test-work/adversarial-cases.json`. */
  readonly construct: string;
  readonly arbitrary: fc.Arbitrary<I>;
  /** Cases at scale 1 (FC_SCALE multiplies it). */
  readonly numRuns: number;
  /** Builds the construct(s) into a fresh stack. */
  build(stack: Stack, input: I): Built;
  /** The independent oracle: problems of the input by the documented rules. */
  oracle(input: I, now: number): Finding[];
  /** Documented rules the synthesized template breaks (empty when it is fine). */
  checkTemplate(template: CfnTemplate, input: I, now: number): string[];
  /** A bug reported to the lead (and demonstrated by an `it.failing` test) that this input hits, if any. */
  knownBug?(input: I, now: number): string | undefined;
  /** The stack's region (eu-west-1 unless given). */
  region?(input: I): string | undefined;
  /**
   * PkiChecks error rules this input deliberately asks for (e.g. `transparencyLogging: false` is PKI-ACM2): any other
   * error-level PkiChecks finding on an accepted template fails the property.
   */
  explainedPkiErrors?(input: I): string[];
}

/** A synthesized CloudFormation template. */
export interface CfnTemplate {
  readonly Resources?: Record<string, { Type: string; Properties?: any; DeletionPolicy?: string; DependsOn?: unknown }>;
}

const SCALE = Number(process.env.FC_SCALE ?? '1') > 0 ? Number(process.env.FC_SCALE ?? '1') : 1;
/**
 * A fixed seed by default, so a test run (and CI) is reproducible; FC_SEED=<n> picks another, FC_SEED=random explores
 * with a fresh seed each run (printed, to reproduce a failure).
 */
const SEED = process.env.FC_SEED === 'random' ? undefined
  : process.env.FC_SEED !== undefined && process.env.FC_SEED !== '' ? Number(process.env.FC_SEED) : 20261124;
/** Accepted templates per construct handed to cfn-lint and @aws/cloudformation-validate. */
const SAMPLES_PER_CONSTRUCT = 2;

interface Tally {
  runs: number;
  accepted: number;
  rejected: number;
  knownBug: number;
}
const tallies = new Map<string, Tally>();

/** Shortens a value for messages. */
export function show(value: unknown): string {
  let text: string;
  if (typeof value === 'number') return String(value);
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
  } catch {
    text = String(value);
  }
  text = text ?? String(value);
  return text.length > 400 ? `${text.slice(0, 400)}… (${text.length} chars)` : text;
}

/** Whether `message` quotes `value` (JSON-quoted or raw; long values may be cut by the library, so a prefix counts). */
export function quotes(message: string, value: unknown): boolean {
  // An empty object or list cannot be seen in a message either; saying it has no field / is empty is the clear quote.
  if (typeof value === 'object' && value !== null && Object.keys(value).length === 0 && /empty|no field/i.test(message)) return true;
  if (typeof value === 'number') {
    return message.includes(String(value));
  }
  if (typeof value !== 'string') {
    return message.includes(show(value).slice(0, 40));
  }
  // An empty or blank value cannot be seen in a message; saying that it is empty is the clear quote.
  if (value.trim() === '' && /empty|blank|whitespace/i.test(message)) return true;
  const json = JSON.stringify(value);
  const candidates = [json.slice(0, 60), value.slice(0, 40)].filter((c) => c.length > 0);
  return candidates.some((c) => message.includes(c));
}

/** Algorithm names of the digests (certificate and CA keys, CA signing); `of()` accepts others as an escape hatch. */
const DOCUMENTED_ALGORITHMS = new Set([
  'RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1', 'SM2',
  'SHA256WITHRSA', 'SHA384WITHRSA', 'SHA512WITHRSA', 'SHA256WITHECDSA', 'SHA384WITHECDSA', 'SHA512WITHECDSA', 'SM3WITHSM2',
]);

/**
 * Whether the input names an algorithm outside the documented ones (through `of()`): constructs accept such names as
 * an escape hatch for new values, while PkiChecks (PKI-PCA1, PKI-ACM3) flags anything it does not know.
 */
function usesUndocumentedAlgorithm(input: unknown): boolean {
  if (Array.isArray(input)) return input.some(usesUndocumentedAlgorithm);
  if (typeof input !== 'object' || input === null) return false;
  return Object.entries(input).some(([key, value]) =>
    (['key', 'signing'].includes(key) && typeof value === 'string' && !DOCUMENTED_ALGORITHMS.has(value))
    // ACM certificates: the seven ACM names (SM2 is a Private CA key only).
    || (key === 'keyAlgorithm' && typeof value === 'string' && (!DOCUMENTED_ALGORITHMS.has(value) || value === 'SM2'))
    || usesUndocumentedAlgorithm(value));
}

function newStack(region: string): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '111111111111', region } });
}

/** Runs one input through the construct and the oracle; throws a descriptive error when the property breaks. */
function checkOne<I>(spec: AdversarialSpec<I>, input: I, tally: Tally, sample: boolean): void {
  const now = Date.now();
  const findings = spec.oracle(input, now);
  const mustFindings = findings.filter((f) => f.severity === 'must');
  const stack = newStack(spec.region?.(input) ?? 'eu-west-1');
  let built: Built;
  try {
    built = spec.build(stack, input);
  } catch (err) {
    if (!(err instanceof PkiValidationError)) {
      throw new Error(`threw ${(err as Error)?.constructor?.name ?? typeof err} instead of PkiValidationError: ${(err as Error)?.message ?? err}\n` +
        `oracle findings: ${show(findings)}`);
    }
    tally.rejected++;
    const message = err.message;
    if (findings.length === 0) {
      throw new Error(`rejected input the documented rules accept:\n  ${message}`);
    }
    if (!message.startsWith('Stack/')) {
      throw new Error(`PkiValidationError does not start with a construct path: ${message}`);
    }
    // Constructs check in phases, so the message may name another real (or disputed) problem first.
    if (mustFindings.length > 0 && !findings.some((f) => quotes(message, f.value))) {
      throw new Error(`PkiValidationError quotes none of the offending values ${show(findings)}:\n  ${message}`);
    }
    return;
  }
  let template: CfnTemplate;
  try {
    template = (sample ? synthTemplate(stack) : Template.fromStack(stack)).toJSON() as CfnTemplate;
  } catch (err) {
    throw new Error(`built, but synthesis threw ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}\noracle findings: ${show(findings)}`);
  }
  tally.accepted++;
  if (mustFindings.length > 0) {
    throw new Error(`accepted input the documented rules forbid (${built.path}): ${show(mustFindings)}`);
  }
  const violations = spec.checkTemplate(template, input, now);
  if (violations.length > 0) {
    throw new Error(`the template of ${built.path} breaks documented rules:\n  ${violations.join('\n  ')}`);
  }
  // Our own rule pack must run on every accepted template and find no error the input did not ask for.
  const explained = [...(spec.explainedPkiErrors?.(input) ?? []), ...(usesUndocumentedAlgorithm(input) ? ['PKI-PCA1', 'PKI-ACM3'] : [])];
  const pkiErrors = new PkiChecks().validateScope(stack).violations
    .filter((v) => v.severity === 'error' && !explained.includes(v.ruleName))
    .map((v) => `${v.ruleName} on ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
  if (pkiErrors.length > 0) {
    throw new Error(`PkiChecks reports errors on the accepted template of ${built.path}:\n  ${pkiErrors.join('\n  ')}`);
  }
}

/** Defines the jest test of one spec. */
export function adversarial<I>(spec: AdversarialSpec<I>): void {
  const numRuns = Math.max(1, Math.round(spec.numRuns * SCALE));
  test(`${spec.construct}: every input synthesizes a valid template or throws PkiValidationError naming path and value (${numRuns} runs)`, () => {
    const tally: Tally = tallies.get(spec.construct) ?? { runs: 0, accepted: 0, rejected: 0, knownBug: 0 };
    tallies.set(spec.construct, tally);
    let samples = 0;
    const seed = SEED ?? Math.floor(Math.random() * 2 ** 31);
    fc.assert(
      fc.property(spec.arbitrary, (input) => {
        tally.runs++;
        const bug = spec.knownBug?.(input, Date.now());
        if (bug !== undefined) {
          tally.knownBug++;
          return;
        }
        const acceptedBefore = tally.accepted;
        checkOne(spec, input, tally, samples < SAMPLES_PER_CONSTRUCT);
        if (tally.accepted > acceptedBefore && samples < SAMPLES_PER_CONSTRUCT) samples++;
      }),
      { numRuns, seed },
    );
    process.stdout.write(`adversarial ${spec.construct}: seed ${seed}, ${numRuns} runs, ${tally.accepted} accepted, ` +
      `${tally.rejected} rejected, ${tally.knownBug} skipped as known bugs\n`);
    // Both outcomes must be exercised, or the arbitrary is too narrow to prove anything.
    expect(tally.accepted).toBeGreaterThan(0);
    expect(tally.rejected).toBeGreaterThan(0);
  });
}

/** Builds one input and returns what happened, for the minimal demonstrations of reported bugs. */
export function outcome(build: (stack: Stack) => void, region = 'eu-west-1'): { kind: 'accepted'; template: CfnTemplate } | { kind: 'rejected'; error: unknown } {
  const stack = newStack(region);
  try {
    build(stack);
    return { kind: 'accepted', template: Template.fromStack(stack).toJSON() as CfnTemplate };
  } catch (error) {
    return { kind: 'rejected', error };
  }
}

const COUNT_DIR = path.join(WORK_DIR, 'adversarial-cases.d');

/** Writes this file's case counts and refreshes `.test-work/adversarial-cases.json` ({construct: runs}). */
function writeCounts(): void {
  if (tallies.size === 0) return;
  fs.mkdirSync(COUNT_DIR, { recursive: true });
  for (const [construct, tally] of tallies) {
    fs.writeFileSync(path.join(COUNT_DIR, `${construct}.json`), JSON.stringify(tally));
  }
  const all: Record<string, number> = {};
  const detail: Record<string, Tally> = {};
  for (const file of fs.readdirSync(COUNT_DIR).filter((f) => f.endsWith('.json')).sort()) {
    const t = JSON.parse(fs.readFileSync(path.join(COUNT_DIR, file), 'utf8')) as Tally;
    all[file.replace(/\.json$/, '')] = t.runs;
    detail[file.replace(/\.json$/, '')] = t;
  }
  const total = Object.values(all).reduce((a, b) => a + b, 0);
  fs.writeFileSync(path.join(WORK_DIR, 'adversarial-cases.json'), JSON.stringify(all, undefined, 1));
  fs.writeFileSync(path.join(WORK_DIR, 'adversarial-cases-detail.json'), JSON.stringify({ total, ...detail }, undefined, 1));
}

afterAll(writeCounts);
