import * as path from 'path';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');
/** Scratch space of the test run (git-ignored). */
export const WORK_DIR = path.join(ROOT, '.test-work');
/** The project-local Python venv made by scripts/setup-venv.sh. */
export const VENV_BIN = path.join(ROOT, '.venv', 'bin');
/** Where each jest run's global setup records its moto_server's PID and endpoint, one file per run. */
export const MOTO_STATE_DIR = path.join(WORK_DIR, 'moto');

/** The state file of the jest run whose main process is `ownerPid`. */
export function motoStateFile(ownerPid: number): string {
  return path.join(MOTO_STATE_DIR, `${ownerPid}.json`);
}
