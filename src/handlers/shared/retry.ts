/**
 * Retry helper for custom-resource handlers: the SDK's adaptive retry mode covers throttling, but not
 * service errors such as Private CA's ConcurrentModificationException. Pure apart from the sleep it is given.
 */

/** The name of an AWS SDK v3 error (`name`, or the wire `__type`/`Code`), or `undefined`. */
export function errorName(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) {
    return undefined;
  }
  const e = err as { name?: unknown; Code?: unknown; __type?: unknown };
  const name = [e.name, e.Code, e.__type].find((v) => typeof v === 'string' && v !== 'Error');
  return typeof name === 'string' ? name.split('#').pop() : undefined;
}

/** The message of an error, without anything else of the object. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Options of `withRetries`. */
export interface RetryOptions {
  /** Error names that are retried. */
  readonly retryOn: readonly string[];
  /** Attempts in all, the first included. @default 6 */
  readonly attempts?: number;
  /** Delay before the first retry; it doubles each time. @default 1000 */
  readonly baseDelayMs?: number;
  /** Longest delay between attempts. @default 16000 */
  readonly maxDelayMs?: number;
  /** How to wait. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called before each retry (for logging). */
  readonly onRetry?: (name: string, attempt: number, delayMs: number) => void;
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The delay before retry number `retry` (1-based): base × 2^(retry-1), capped. */
export function backoffDelay(retry: number, baseDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
}

/** Runs `fn`, retrying with exponential backoff while it throws an error named in `retryOn`. */
export async function withRetries<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = options.attempts ?? 6;
  const wait = options.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const name = errorName(err);
      if (attempt >= attempts || name === undefined || !options.retryOn.includes(name)) {
        throw err;
      }
      const delay = backoffDelay(attempt, options.baseDelayMs ?? 1000, options.maxDelayMs ?? 16000);
      options.onRetry?.(name, attempt, delay);
      await wait(delay);
    }
  }
}

/**
 * The retry wrapper of a handler: errors named in `retryOn` are retried with backoff, and each
 * retry is logged as one JSON line that names only the error (never its message or the request).
 */
export function loggedRetries(log: (line: string) => void, retryOn: readonly string[], overrides?: Omit<RetryOptions, 'retryOn'>) {
  return <T>(fn: () => Promise<T>): Promise<T> => withRetries(fn, {
    ...overrides,
    retryOn,
    onRetry: (name, attempt, delayMs) => log(JSON.stringify({ message: 'retrying', error: name, attempt, delayMs })),
  });
}
