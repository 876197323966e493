import { execFileSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  AddTrustStoreRevocationsCommandInput,
  AddTrustStoreRevocationsCommandOutput,
  DescribeTrustStoreRevocationsCommandInput,
  DescribeTrustStoreRevocationsCommandOutput,
  ElasticLoadBalancingV2Client,
  InvalidRevocationContentException,
  RemoveTrustStoreRevocationsCommandInput,
  RemoveTrustStoreRevocationsCommandOutput,
  RevocationIdNotFoundException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  CrlDetail,
  DeleteCrlCommandInput,
  DeleteCrlCommandOutput,
  ImportCrlCommandInput,
  ImportCrlCommandOutput,
  ListCrlsCommandInput,
  ListCrlsCommandOutput,
  ResourceNotFoundException,
  RolesAnywhereClient,
  UpdateCrlCommandInput,
  UpdateCrlCommandOutput,
  ValidationException,
} from '@aws-sdk/client-rolesanywhere';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { KeyPair } from '../harness/openssl';

/*
 * moto has neither IAM Roles Anywhere nor ELB trust stores, so the CRL sync's tests answer those two
 * APIs with the fakes below, at the SDK boundary: a real SDK client whose innermost `initialize`
 * middleware hands the command's input to the fake instead of sending it. The fault injector of
 * test/harness/faults.ts sits above it (priority high), so throttling and lost answers work as with
 * moto. Each fake method is typed with the SDK's own Input/Output types, so tsc checks the request
 * shapes the handler sends. The fakes keep state across calls and enforce what the services document:
 * PEM only, Roles Anywhere's 300,000-byte crlData, unknown IDs → not found.
 */

type Out<T> = Omit<T, '$metadata'>;

/**
 * Holds the first `n` calls of a command until all `n` have arrived, so concurrent runs interleave
 * (two deliveries both list before either imports).
 */
export class Gate {
  private waiting: Array<() => void> = [];
  private passed = 0;
  constructor(private readonly n: number) {}
  public async wait(): Promise<void> {
    if (this.passed >= this.n) return;
    this.passed++;
    await new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      if (this.waiting.length === this.n) this.waiting.forEach((r) => r());
    });
  }
}

/** What both fakes share: gates per command name (`ListCrlsCommand`). */
export class FakeService {
  public readonly gates: Record<string, Gate> = {};
}

/** IAM Roles Anywhere's CRLs, in memory. */
export class FakeRolesAnywhere extends FakeService {
  public readonly crls = new Map<string, CrlDetail>();
  private seq = 0;

  public ListCrlsCommand(input: ListCrlsCommandInput): Out<ListCrlsCommandOutput> {
    const all = [...this.crls.values()];
    const start = input.nextToken === undefined ? 0 : Number(input.nextToken);
    const size = input.pageSize ?? 50;
    const page = all.slice(start, start + size);
    return { crls: page, nextToken: start + size < all.length ? String(start + size) : undefined };
  }

  public ImportCrlCommand(input: ImportCrlCommandInput): Out<ImportCrlCommandOutput> {
    checkPem(input.crlData!);
    if (!/^[ a-zA-Z0-9\-_]{1,255}$/.test(input.name!)) throw new ValidationException({ message: `bad name ${input.name}`, $metadata: {} });
    const id = `00000000-0000-4000-8000-${String(++this.seq).padStart(12, '0')}`;
    const crl: CrlDetail = {
      crlId: id,
      crlArn: `arn:aws:rolesanywhere:us-east-1:123456789012:crl/${id}`,
      name: input.name,
      enabled: input.enabled ?? false,
      crlData: input.crlData,
      trustAnchorArn: input.trustAnchorArn,
      createdAt: new Date(1_700_000_000_000 + this.seq * 1000),
      updatedAt: new Date(),
    };
    this.crls.set(id, crl);
    return { crl };
  }

  public UpdateCrlCommand(input: UpdateCrlCommandInput): Out<UpdateCrlCommandOutput> {
    const crl = this.crls.get(input.crlId!);
    if (crl === undefined) throw new ResourceNotFoundException({ message: `no CRL ${input.crlId}`, $metadata: {} });
    if (input.crlData !== undefined) checkPem(input.crlData);
    const updated = { ...crl, crlData: input.crlData ?? crl.crlData, name: input.name ?? crl.name, updatedAt: new Date() };
    this.crls.set(input.crlId!, updated);
    return { crl: updated };
  }

  public DeleteCrlCommand(input: DeleteCrlCommandInput): Out<DeleteCrlCommandOutput> {
    const crl = this.crls.get(input.crlId!);
    if (crl === undefined) throw new ResourceNotFoundException({ message: `no CRL ${input.crlId}`, $metadata: {} });
    this.crls.delete(input.crlId!);
    return { crl };
  }
}

function checkPem(data: Uint8Array): void {
  if (data.length > 300_000) throw new ValidationException({ message: 'crlData: length must be at most 300000', $metadata: {} });
  if (!Buffer.from(data).toString('utf8').startsWith('-----BEGIN X509 CRL-----\n')) {
    throw new ValidationException({ message: 'In order to be properly imported, a CRL must be in PEM format', $metadata: {} });
  }
}

/** ELB trust stores' revocations, in memory; AddTrustStoreRevocations reads the PEM from S3 (moto). */
export class FakeElb extends FakeService {
  /** Revocation ID → the PEM it was added from, per trust store. */
  public readonly revocations = new Map<string, Map<number, string>>();
  private seq = 100;

  constructor(private readonly s3: S3Client) {
    super();
  }

  public async AddTrustStoreRevocationsCommand(input: AddTrustStoreRevocationsCommandInput): Promise<Out<AddTrustStoreRevocationsCommandOutput>> {
    const store = this.store(input.TrustStoreArn!);
    const added = [];
    for (const content of input.RevocationContents ?? []) {
      const obj = await this.s3.send(new GetObjectCommand({ Bucket: content.S3Bucket, Key: content.S3Key, VersionId: content.S3ObjectVersion }));
      const pem = await obj.Body!.transformToString();
      if (content.RevocationType !== 'CRL' || !pem.startsWith('-----BEGIN X509 CRL-----\n')) {
        throw new InvalidRevocationContentException({ message: 'The provided revocation file is an invalid format', $metadata: {} });
      }
      const id = ++this.seq;
      store.set(id, pem);
      added.push({ TrustStoreArn: input.TrustStoreArn, RevocationId: id, RevocationType: 'CRL' as const, NumberOfRevokedEntries: 1 });
    }
    return { TrustStoreRevocations: added };
  }

  public DescribeTrustStoreRevocationsCommand(input: DescribeTrustStoreRevocationsCommandInput): Out<DescribeTrustStoreRevocationsCommandOutput> {
    const ids = [...this.store(input.TrustStoreArn!).keys()];
    const start = input.Marker === undefined ? 0 : Number(input.Marker);
    const page = ids.slice(start, start + 2);
    return {
      TrustStoreRevocations: page.map((id) => ({ TrustStoreArn: input.TrustStoreArn, RevocationId: id, RevocationType: 'CRL' as const })),
      NextMarker: start + 2 < ids.length ? String(start + 2) : undefined,
    };
  }

  public RemoveTrustStoreRevocationsCommand(input: RemoveTrustStoreRevocationsCommandInput): Out<RemoveTrustStoreRevocationsCommandOutput> {
    const store = this.store(input.TrustStoreArn!);
    for (const id of input.RevocationIds ?? []) {
      if (!store.has(id)) throw new RevocationIdNotFoundException({ message: `no revocation ${id}`, $metadata: {} });
    }
    for (const id of input.RevocationIds ?? []) store.delete(id);
    return {};
  }

  private store(arn: string): Map<number, string> {
    let store = this.revocations.get(arn);
    if (store === undefined) {
      store = new Map();
      this.revocations.set(arn, store);
    }
    return store;
  }
}

/** A real SDK client whose requests the fake answers (see the top of this file). */
function answeredBy<C extends { middlewareStack: any }>(client: C, fake: FakeService): C {
  client.middlewareStack.add((_next: any, context: any) => async (args: any) => {
    await fake.gates[context.commandName]?.wait();
    const method = (fake as unknown as Record<string, unknown>)[context.commandName];
    if (typeof method !== 'function') throw new Error(`the fake does not implement ${context.commandName}`);
    // Each call gets a copy, as over the wire.
    const output = await method.call(fake, structuredClone(args.input));
    return { output: { $metadata: { httpStatusCode: 200 }, ...output }, response: {} };
  }, { step: 'initialize', priority: 'low', name: 'cdkPkiFakeService' });
  return client;
}

const CLIENT = { region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 1 };

/** A Roles Anywhere client answered by `fake`. */
export function rolesAnywhereClient(fake: FakeRolesAnywhere): RolesAnywhereClient {
  return answeredBy(new RolesAnywhereClient(CLIENT), fake);
}

/** An ELB client answered by `fake`. */
export function elbClient(fake: FakeElb): ElasticLoadBalancingV2Client {
  return answeredBy(new ElasticLoadBalancingV2Client(CLIENT), fake);
}

function openssl(args: string[], cwd: string, input?: string | Buffer): Buffer {
  return execFileSync('openssl', args, { cwd, input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** A real CRL of `ca` (made with `openssl ca -gencrl`) listing `revoked` random serials, DER. */
export function makeCrl(ca: KeyPair, revoked: number): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-pki-crl-'));
  try {
    fs.writeFileSync(path.join(dir, 'ca.pem'), ca.certPem);
    fs.writeFileSync(path.join(dir, 'ca.key'), ca.keyPem);
    const lines = Array.from({ length: revoked }, (_, i) =>
      `R\t351231235959Z\t240101000000Z\t${randomBytes(16).toString('hex').toUpperCase().replace(/^[89A-F]/, '1')}\tunknown\t/CN=leaf${i}`);
    fs.writeFileSync(path.join(dir, 'index.txt'), lines.length > 0 ? `${lines.join('\n')}\n` : '');
    fs.writeFileSync(path.join(dir, 'crlnumber'), '1000\n');
    fs.writeFileSync(path.join(dir, 'ca.cnf'),
      '[ca]\ndefault_ca = d\n[d]\ndatabase = index.txt\ncrlnumber = crlnumber\ndefault_md = sha256\ndefault_crl_days = 7\n');
    openssl(['ca', '-gencrl', '-batch', '-config', 'ca.cnf', '-keyfile', 'ca.key', '-cert', 'ca.pem', '-out', 'crl.pem'], dir);
    return openssl(['crl', '-in', 'crl.pem', '-outform', 'DER'], dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What `openssl crl -inform <form> -noout -text` prints of a CRL (throws when openssl cannot read it). */
export function crlText(data: Buffer | string, form: 'DER' | 'PEM'): string {
  return openssl(['crl', '-inform', form, '-noout', '-text'], os.tmpdir(), data).toString('utf8');
}

/** The CRL re-encoded by openssl: `openssl crl -inform <form> -outform <out>`. */
export function crlConvert(data: Buffer | string, from: 'DER' | 'PEM', to: 'DER' | 'PEM'): Buffer {
  return openssl(['crl', '-inform', from, '-outform', to], os.tmpdir(), data);
}
