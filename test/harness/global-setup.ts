import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { startValidateServer } from './cfn-validate-server';
import { MOTO_ACM_VALIDATION_WAIT_SECONDS, SERVER_STATE_DIR, serverStateFile, ROOT, VENV_BIN, WORK_DIR } from './paths';

/** Asks the OS for a free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops the servers that crashed earlier runs left behind: those whose jest process is gone.
 * The servers of a jest run still going (another terminal) are left alone.
 */
function stopLeftovers(): void {
  if (!fs.existsSync(SERVER_STATE_DIR)) return;
  for (const name of fs.readdirSync(SERVER_STATE_DIR)) {
    const owner = Number(path.basename(name, '.json'));
    if (Number.isInteger(owner) && alive(owner)) continue;
    const file = path.join(SERVER_STATE_DIR, name);
    try {
      for (const { pid } of JSON.parse(fs.readFileSync(file, 'utf8')).servers ?? []) {
        process.kill(pid, 'SIGTERM');
      }
    } catch {
      // already gone
    }
    fs.rmSync(file, { force: true });
  }
}

async function waitUntilUp(url: string, log: string, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').slice(-30).join('\n') : '(no log)';
  throw new Error(`${url} did not answer within ${deadlineMs / 1000}s. Log tail:\n${tail}`);
}

/** A server the setup started: its kind, PID and endpoint. */
export interface StartedServer {
  readonly kind: 'moto' | 'cfn-lint';
  readonly pid: number;
  readonly endpoint: string;
}

/**
 * Starts a server from the venv on a free 127.0.0.1 port (`args(port)`), with its output in
 * `.test-work/<kind>-<index>.log`, and waits until `probePath` answers.
 */
async function startServer(kind: StartedServer['kind'], index: number, args: (port: number) => string[], probePath: string, env: NodeJS.ProcessEnv = {}): Promise<StartedServer> {
  const port = await freePort();
  const log = path.join(WORK_DIR, `${kind}-${index}.log`);
  const out = fs.openSync(log, 'w');
  const [cmd, ...rest] = args(port);
  const child = spawn(cmd, rest, { detached: true, stdio: ['ignore', out, out], env: { ...process.env, ...env } });
  child.unref();
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilUp(`${endpoint}${probePath}`, log, 30_000);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  return { kind, pid: child.pid!, endpoint };
}

/**
 * Jest global setup: makes sure the venv exists (cfn-lint, moto), then starts, on free 127.0.0.1
 * ports:
 * - one moto_server per jest worker (tests reset moto's state, so two test files running at once
 *   must not share one): MOTO_ENDPOINTS;
 * - one cfn-lint server per worker (test/harness/cfn_lint_server.py; cfn-lint's start-up costs
 *   more than linting a test file's templates): CFN_LINT_ENDPOINTS;
 * - one `@aws/cloudformation-validate` engine in this process: CFN_VALIDATE_ENDPOINT.
 * The PIDs go to a state file that the teardown (or a later run, after a crash) stops them by.
 */
export default async function globalSetup(globalConfig?: { maxWorkers?: number }): Promise<void> {
  fs.mkdirSync(WORK_DIR, { recursive: true });
  execFileSync('bash', [path.join(ROOT, 'scripts', 'setup-venv.sh')], { stdio: 'inherit', cwd: ROOT });
  stopLeftovers();
  fs.mkdirSync(SERVER_STATE_DIR, { recursive: true });

  const count = Math.max(1, globalConfig?.maxWorkers ?? 1);
  const workers = Array.from({ length: count }, (_, i) => i + 1);
  const started = await Promise.allSettled([
    ...workers.map((i) => startServer('moto', i, (port) => [path.join(VENV_BIN, 'moto_server'), '-H', '127.0.0.1', '-p', String(port)],
      '/moto-api/data.json', { MOTO_ACM_VALIDATION_WAIT: String(MOTO_ACM_VALIDATION_WAIT_SECONDS) })),
    ...workers.map((i) => startServer('cfn-lint', i, (port) => [path.join(VENV_BIN, 'python'), path.join(__dirname, 'cfn_lint_server.py'), String(port)], '/')),
  ]);
  const servers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  // Recorded even when one failed to start, so the teardown (or the next run) stops the others.
  fs.writeFileSync(serverStateFile(process.pid), JSON.stringify({ servers }));
  const failure = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;

  const endpoints = (kind: StartedServer['kind']) => servers.filter((s) => s.kind === kind).map((s) => s.endpoint).join(',');
  process.env.MOTO_ENDPOINTS = endpoints('moto');
  process.env.CFN_LINT_ENDPOINTS = endpoints('cfn-lint');
  const validate = await startValidateServer();
  (globalThis as any).__cdkPkiValidateServer = validate.server;
  process.env.CFN_VALIDATE_ENDPOINT = validate.endpoint;
}
