import * as fs from 'fs';
import { motoStateFile } from './paths';

/** The endpoint of the moto_server started by the jest global setup. */
export function motoEndpoint(): string {
  // Jest workers inherit MOTO_ENDPOINT from the global setup; otherwise the state file of the
  // jest process that forked this worker.
  const stateFile = motoStateFile(process.ppid);
  const endpoint = process.env.MOTO_ENDPOINT ?? (fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, 'utf8')).endpoint : undefined);
  if (!endpoint) {
    throw new Error('MOTO_ENDPOINT is not set: run the tests through jest, whose global setup starts moto_server');
  }
  return endpoint;
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
