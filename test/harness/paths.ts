import * as path from 'path';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');
/** Scratch space of the test run (git-ignored). */
export const WORK_DIR = path.join(ROOT, '.test-work');
/** The project-local Python venv made by scripts/setup-venv.sh. */
export const VENV_BIN = path.join(ROOT, '.venv', 'bin');
/** Where the global setup records moto_server's PID and endpoint. */
export const MOTO_STATE_FILE = path.join(WORK_DIR, 'moto.json');
