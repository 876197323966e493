import * as fs from 'fs';
import { serverStateFile } from './paths';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stop(pid: number): Promise<void> {
  if (alive(pid)) process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 50 && alive(pid); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

/**
 * Jest global teardown: closes the validate server and stops the servers the setup started (moto,
 * cfn-lint), by PID, waiting until they are gone.
 */
export default async function globalTeardown(): Promise<void> {
  (globalThis as any).__cdkPkiValidateServer?.close();
  const stateFile = serverStateFile(process.pid);
  if (!fs.existsSync(stateFile)) return;
  const { servers } = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { servers: Array<{ pid: number }> };
  await Promise.all(servers.map((s) => stop(s.pid)));
  fs.rmSync(stateFile, { force: true });
}
