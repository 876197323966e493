import * as fs from 'fs';
import { motoStateFile } from './paths';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Jest global teardown: stops the moto_server the setup started, by PID, and waits until it is gone. */
export default async function globalTeardown(): Promise<void> {
  const stateFile = motoStateFile(process.pid);
  if (!fs.existsSync(stateFile)) return;
  const { pid } = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { pid: number };
  if (alive(pid)) process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 50 && alive(pid); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  fs.rmSync(stateFile, { force: true });
}
