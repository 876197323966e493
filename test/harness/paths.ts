import * as path from 'path';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');
/** Scratch space of the test run (git-ignored). */
export const WORK_DIR = path.join(ROOT, '.test-work');
/** The project-local Python venv made by scripts/setup-venv.sh. */
export const VENV_BIN = path.join(ROOT, '.venv', 'bin');
/** Where each jest run's global setup records its servers' (moto, cfn-lint) PIDs and endpoints, one file per run. */
export const SERVER_STATE_DIR = path.join(WORK_DIR, 'servers');

/** The state file of the jest run whose main process is `ownerPid`. */
export function serverStateFile(ownerPid: number): string {
  return path.join(SERVER_STATE_DIR, `${ownerPid}.json`);
}

/**
 * Seconds after its request that moto turns a DNS-validated ACM certificate ISSUED (moto's default
 * is 60). Long enough that a test sees it pending, short enough not to dominate the run.
 */
export const MOTO_ACM_VALIDATION_WAIT_SECONDS = 10;
