import * as fs from 'fs';
import { serverStateFile } from './paths';
import { workerEndpoint } from './workers';

/**
 * The endpoint of this jest worker's own moto_server, started by the jest global setup (one per
 * worker, since tests reset moto's state).
 */
export function motoEndpoint(): string {
  // Jest workers inherit MOTO_ENDPOINTS from the global setup; otherwise the state file of the
  // jest process that forked this worker.
  const stateFile = serverStateFile(process.ppid);
  const endpoints = process.env.MOTO_ENDPOINTS?.split(',')
    ?? (fs.existsSync(stateFile) ? (JSON.parse(fs.readFileSync(stateFile, 'utf8')).servers as Array<{ kind: string; endpoint: string }>).filter((s) => s.kind === 'moto').map((s) => s.endpoint) : []);
  if (endpoints.length === 0) {
    throw new Error('MOTO_ENDPOINTS is not set: run the tests through jest, whose global setup starts moto_server');
  }
  return workerEndpoint(endpoints);
}

/** SDK v3 client configuration pointing at moto, with dummy credentials. */
export function motoClientConfig(region = 'us-east-1') {
  return {
    endpoint: motoEndpoint(),
    region,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 2,
  };
}

/** Resets every moto backend, so each test starts from an empty account. */
export async function resetMoto(): Promise<void> {
  const res = await fetch(`${motoEndpoint()}/moto-api/reset`, { method: 'POST' });
  if (!res.ok) {
    throw new Error(`moto reset failed: HTTP ${res.status}`);
  }
}
