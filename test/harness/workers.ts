/**
 * The servers the jest global setup starts once per worker (moto, cfn-lint) are passed to the
 * workers as a comma-separated list in an environment variable; each worker takes its own.
 */
export function workerEndpoint(endpoints: readonly string[]): string {
  const worker = Number(process.env.JEST_WORKER_ID ?? '1');
  return endpoints[(worker - 1) % endpoints.length];
}

/**
 * POSTs a JSON body to one of the harness's own servers and returns the response text; a non-2xx
 * answer is an error naming the URL. The requests are idempotent, so a dropped connection is
 * retried once.
 */
export async function postJson(url: string, body: unknown): Promise<string> {
  const init = { method: 'POST', headers: { 'Content-Type': 'application/json', 'Connection': 'close' }, body: JSON.stringify(body) };
  const res = await fetch(url, init).catch(() => fetch(url, init));
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`${url} answered HTTP ${res.status}: ${text}`);
  }
  return text;
}
