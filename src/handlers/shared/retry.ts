/**
 * Retry helper for custom-resource handlers: one retry layer (full jitter, a deadline taken from the
 * Lambda's remaining time) for throttling, 5xx, network errors and the service errors that mean "try
 * again" (Private CA's ConcurrentModificationException, ACM's RequestInProgressException). Handlers
 * that use it for transient errors give their SDK clients `maxAttempts: 1` (see `SINGLE_ATTEMPT`),
 * so retries are never stacked on the SDK's own. Pure apart from the sleep, clock and random it is given.
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

/** Throttling and server-side errors of AWS services that are always worth another attempt. */
export const TRANSIENT_ERRORS: readonly string[] = [
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  'PriorRequestNotComplete',
  'InternalServiceError',
  'InternalServiceException',
  'InternalFailure',
  'InternalError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
];

/** Node.js network error codes that are worth another attempt. */
export const NETWORK_ERROR_CODES: readonly string[] = ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED'];

/**
 * Whether an error is transient: a throttling or server error named in `TRANSIENT_ERRORS`, any
 * HTTP 5xx or 429 answer, an error the SDK marks `$retryable`, or a network error.
 */
export function isTransientError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) {
    return false;
  }
  const e = err as { code?: unknown; $retryable?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const status = e.$metadata?.httpStatusCode;
  const name = errorName(err);
  return (name !== undefined && TRANSIENT_ERRORS.includes(name))
    || (typeof status === 'number' && (status >= 500 || status === 429))
    || (typeof e.$retryable === 'object' && e.$retryable !== null)
    || (typeof e.code === 'string' && NETWORK_ERROR_CODES.includes(e.code));
}

/** SDK client configuration for handlers whose calls all go through `withRetries`: no SDK retries on top. */
export const SINGLE_ATTEMPT = { maxAttempts: 1 } as const;

/** Options of `withRetries`. */
export interface RetryOptions {
  /** Error names that are retried. */
  readonly retryOn: readonly string[];
  /** Also retry transient errors (`isTransientError`: throttling, 5xx, network). @default false */
  readonly retryTransient?: boolean;
  /** Attempts in all, the first included. @default 6 */
  readonly attempts?: number;
  /** Delay before the first retry; it doubles each time. @default 1000 */
  readonly baseDelayMs?: number;
  /** Longest delay between attempts. @default 16000 */
  readonly maxDelayMs?: number;
  /**
   * `full`: each delay is a random value from 0 to the exponential backoff (AWS's "full jitter");
   * `none`: the backoff itself. @default 'none' (`loggedRetries`, what handlers use, defaults to 'full')
   */
  readonly jitter?: 'full' | 'none';
  /** Random numbers in [0, 1) for the jitter. @default Math.random */
  readonly random?: () => number;
  /**
   * Milliseconds the caller has left (a Lambda's `context.getRemainingTimeInMillis`): a retry whose
   * wait would end within `reserveMs` of it is not made, and `RetryDeadlineError` is thrown instead.
   * @default - no deadline (only `attempts`)
   */
  readonly remainingTimeMs?: () => number;
  /** Time kept back before the deadline for the next attempt and the answer. @default 10000 */
  readonly reserveMs?: number;
  /**
   * When the last attempt fails with a retryable error, throw `RetriesExhaustedError` (which names
   * the error, the attempts and what to do) instead of the error itself. @default false
   */
  readonly namedGiveUp?: boolean;
  /** What is being retried, for the deadline error's message. @default 'the call' */
  readonly operation?: string;
  /** How to wait. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called before each retry (for logging). */
  readonly onRetry?: (name: string, attempt: number, delayMs: number) => void;
}

/**
 * Thrown when another retry would run past the Lambda's remaining time: the handler stops in time to
 * report a clear reason instead of being killed with "Task timed out".
 */
export class RetryDeadlineError extends Error {
  /** The name of the last error retried. */
  public readonly lastError: string;
  /** Attempts made. */
  public readonly attempts: number;

  constructor(operation: string, lastError: string, attempts: number, remainingMs: number) {
    super(`${operation} still failed with ${lastError} after ${attempts} attempt${attempts === 1 ? '' : 's'}, and the handler has ` +
      `${Math.max(0, Math.round(remainingMs / 1000))} s left, too little for another one: it gave up before its Lambda timeout. ` +
      `${lastError} is transient (throttling or an AWS service error): retry the deployment; if it persists, check the service's health and your API quotas.`);
    this.name = 'RetryDeadlineError';
    this.lastError = lastError;
    this.attempts = attempts;
  }
}

/** Thrown, with `namedGiveUp`, when every attempt failed with a retryable (transient) error. */
export class RetriesExhaustedError extends Error {
  /** The name of the last error. */
  public readonly lastError: string;
  /** Attempts made. */
  public readonly attempts: number;

  constructor(operation: string, lastError: string, attempts: number) {
    super(`${operation} still failed with ${lastError} after ${attempts} attempts with backoff: ${lastError} is transient ` +
      '(throttling, an AWS service error or the network); retry the deployment later, and if it persists check the service\'s health and your API quotas.');
    this.name = 'RetriesExhaustedError';
    this.lastError = lastError;
    this.attempts = attempts;
  }
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The delay before retry number `retry` (1-based): base × 2^(retry-1), capped. */
export function backoffDelay(retry: number, baseDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
}

/** The full-jitter delay before retry number `retry`: uniform in [0, backoffDelay). */
export function fullJitterDelay(retry: number, baseDelayMs: number, maxDelayMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * backoffDelay(retry, baseDelayMs, maxDelayMs));
}

/** Whether `withRetries` would retry this error. */
export function isRetryable(err: unknown, options: Pick<RetryOptions, 'retryOn' | 'retryTransient'>): boolean {
  const name = errorName(err);
  return (name !== undefined && options.retryOn.includes(name)) || (options.retryTransient === true && isTransientError(err));
}

/**
 * Runs `fn`, retrying with exponential backoff (with full jitter when asked) while it throws a
 * retryable error, until `attempts` or the deadline. Past the deadline it throws `RetryDeadlineError`.
 */
export async function withRetries<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = options.attempts ?? 6;
  const wait = options.sleep ?? sleep;
  const base = options.baseDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 16000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isRetryable(err, options)) {
        throw err;
      }
      const name = errorName(err) ?? (err as { code?: string }).code ?? 'a transient error';
      if (attempt >= attempts) {
        throw options.namedGiveUp ? new RetriesExhaustedError(options.operation ?? 'the call', name, attempt) : err;
      }
      const delay = options.jitter === 'full' ? fullJitterDelay(attempt, base, max, options.random) : backoffDelay(attempt, base, max);
      const remaining = options.remainingTimeMs?.();
      if (remaining !== undefined && remaining - delay < (options.reserveMs ?? 10_000)) {
        throw new RetryDeadlineError(options.operation ?? 'the call', name, attempt, remaining);
      }
      options.onRetry?.(name, attempt, delay);
      await wait(delay);
    }
  }
}

/** The part of a Lambda context the retries read: the time left before the Lambda's timeout. */
export interface LambdaDeadline {
  getRemainingTimeInMillis?(): number;
}

/** Runs one named operation (`PutPolicy on arn:...`) with the retries of an invocation. */
export type InvocationRetry = <T>(operation: string, fn: () => Promise<T>, onRetry?: () => void) => Promise<T>;

/**
 * The retries of one handler invocation, the only retry layer (SDK clients make one attempt each,
 * `SINGLE_ATTEMPT`): the errors in `retryOn` and every transient one (throttling, 5xx, network),
 * with full jitter, until the Lambda's deadline (`context`); then `RetriesExhaustedError` or
 * `RetryDeadlineError`, which name the operation. Each retry is logged as one JSON line naming
 * only the operation and the error (never its message or the request).
 */
export function invocationRetries(log: (line: string) => void, retryOn: readonly string[], context?: LambdaDeadline,
  overrides?: Omit<RetryOptions, 'retryOn'>): InvocationRetry {
  const remainingTimeMs = context?.getRemainingTimeInMillis === undefined ? undefined : () => context.getRemainingTimeInMillis!();
  return (operation, fn, onRetry) => withRetries(fn, {
    jitter: 'full',
    retryTransient: true,
    namedGiveUp: true,
    remainingTimeMs,
    ...overrides,
    retryOn,
    operation,
    onRetry: (name, attempt, delayMs) => {
      onRetry?.();
      log(JSON.stringify({ message: 'retrying', operation, error: name, attempt, delayMs }));
    },
  });
}

/**
 * The retries of one invocation for calls that are not named one by one: each is `overrides.operation`
 * (@default 'the call'). Same behaviour as `invocationRetries`.
 */
export function loggedRetries(log: (line: string) => void, retryOn: readonly string[], overrides?: Omit<RetryOptions, 'retryOn'>, context?: LambdaDeadline) {
  const retry = invocationRetries(log, retryOn, context, overrides);
  return <T>(fn: () => Promise<T>): Promise<T> => retry(overrides?.operation ?? 'the call', fn);
}

/** Whether an error is one of the retry layer's give-up errors, whose message already names the operation. */
export function isGiveUpError(err: unknown): boolean {
  return err instanceof RetriesExhaustedError || err instanceof RetryDeadlineError;
}

/**
 * The error of a call that failed: the retry layer's give-up errors as they are (they name the
 * operation), others as `<what> failed: <AWS error or network code>: <message>` with the AWS error's
 * name kept, so handlers still tell them apart. AWS messages name resources, never the request's
 * secret values (passphrase, material).
 */
export function callFailure(what: string, err: unknown): Error {
  if (isGiveUpError(err)) return err as Error;
  const name = errorName(err);
  const code = (err as { code?: unknown } | undefined)?.code;
  const failure = new Error(`${what} failed: ${name ?? (typeof code === 'string' ? code : 'error')}: ${errorMessage(err).slice(0, 300)}`);
  failure.name = name ?? 'Error';
  return failure;
}

/**
 * A client whose every `send` runs through `retry`, named after its command (`ImportCertificate`),
 * and whose other errors name the call (`callFailure`).
 */
export function retryingClient<C extends { send: (command: any) => Promise<any> }>(client: C, retry: InvocationRetry): C {
  const send = async (command: { constructor: { name: string } }) => {
    const call = command.constructor.name.replace(/Command$/, '');
    try {
      return await retry(call, () => client.send(command));
    } catch (err) {
      throw callFailure(call, err);
    }
  };
  return { send } as unknown as C;
}
