import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { MOTO_STATE_DIR, motoStateFile, ROOT, VENV_BIN, WORK_DIR } from './paths';

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
 * Stops the moto_servers that crashed earlier runs left behind: those whose jest process is gone.
 * A server of a jest run still going (another terminal) is left alone.
 */
function stopLeftovers(): void {
  if (!fs.existsSync(MOTO_STATE_DIR)) return;
  for (const name of fs.readdirSync(MOTO_STATE_DIR)) {
    const owner = Number(path.basename(name, '.json'));
    if (Number.isInteger(owner) && alive(owner)) continue;
    const file = path.join(MOTO_STATE_DIR, name);
    try {
      const { pid } = JSON.parse(fs.readFileSync(file, 'utf8'));
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
    fs.rmSync(file, { force: true });
  }
}

async function waitUntilUp(endpoint: string, log: string, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(`${endpoint}/moto-api/data.json`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').slice(-30).join('\n') : '(no log)';
  throw new Error(`moto_server did not answer on ${endpoint} within ${deadlineMs / 1000}s. Log tail:\n${tail}`);
}

/**
 * Jest global setup: makes sure the venv exists (cfn-lint, moto), starts moto_server on a free
 * 127.0.0.1 port and exports MOTO_ENDPOINT to the test workers.
 */
export default async function globalSetup(): Promise<void> {
  fs.mkdirSync(WORK_DIR, { recursive: true });
  execFileSync('bash', [path.join(ROOT, 'scripts', 'setup-venv.sh')], { stdio: 'inherit', cwd: ROOT });
  stopLeftovers();
  fs.mkdirSync(MOTO_STATE_DIR, { recursive: true });

  const port = await freePort();
  const log = path.join(WORK_DIR, 'moto.log');
  const out = fs.openSync(log, 'w');
  const child = spawn(path.join(VENV_BIN, 'moto_server'), ['-H', '127.0.0.1', '-p', String(port)], {
    detached: true,
    stdio: ['ignore', out, out],
  });
  child.unref();
  const endpoint = `http://127.0.0.1:${port}`;
  fs.writeFileSync(motoStateFile(process.pid), JSON.stringify({ pid: child.pid, endpoint }));
  await waitUntilUp(endpoint, log, 30_000);
  process.env.MOTO_ENDPOINT = endpoint;
}
