/**
 * Fault injection for AWS SDK v3 clients, as a middleware on the client's stack: it records every
 * call (command name + input) and fails chosen calls of a named command with the errors a real
 * AWS API gives, so handlers are tested against moto with throttling, 5xx, timeouts, network
 * errors and lost responses.
 *
 * Where the fault sits (`layer`):
 * - `'handler'` (default): step `initialize`, priority `high`, the outermost middleware, ABOVE the
 *   SDK's `retryMiddleware` (step `finalizeRequest`). One `send()` is one call; an injected error
 *   reaches the handler as if the SDK had already given up (the test clients have `maxAttempts: 2`
 *   and the SDK never sees the fault). This is the layer that tests the handler's OWN retry logic.
 * - `'sdk'`: step `finalizeRequest`, right after `retryMiddleware`: one HTTP attempt is one call, and
 *   the SDK's retry strategy classifies and retries the fault (to show that retries are not stacked,
 *   or that an SDK retry after a lost response repeats a non-idempotent request at moto). The SDK's
 *   backoff waits of such a client are 0 ms (`withoutSdkBackoff`): its own strategy still decides
 *   whether and how often to retry, but a test never sleeps (throttling waits up to 1 s otherwise).
 *
 * Fault kinds and what the caller gets:
 * | kind            | error                                                        | reached moto? |
 * |-----------------|--------------------------------------------------------------|---------------|
 * | `throttling`    | `ThrottlingException` (or `errorName`), HTTP 400, `$retryable.throttling` | no  |
 * | `unavailable`   | `ServiceUnavailable`, HTTP 503, `$fault: 'server'`           | no            |
 * | `internal`      | `InternalFailure`, HTTP 500, `$fault: 'server'`              | no            |
 * | `timeout`       | `TimeoutError` (as `@smithy/node-http-handler` throws), code `ETIMEDOUT` | no |
 * | `network`       | `Error` "socket hang up", code `ECONNRESET`, no `$metadata`  | no            |
 * | `lost-response` | the `network` error AFTER moto answered: the call took effect | yes          |
 * | `error`         | a service error named `errorName` (HTTP 400), e.g. `ResourceInUseException` | no |
 *
 * Note for handler authors: a real network error has `name: 'Error'` and only a `code`; a retry
 * helper that classifies by `name` alone (`errorName` of src/handlers/shared/retry.ts) misses it.
 *
 * Besides failing, a fault may answer without reaching moto (`respond`, for APIs moto lacks) or
 * patch moto's output (`patch`). One fault fires per call: the first due one in list order.
 *
 * Usage:
 *   const faults = faultInjector();
 *   const acm = faults.attach(new ACMClient(motoClientConfig()));
 *   faults.add(fault('lost-response', 'ImportCertificate', { nth: 2 }));
 *   ... run the handler ...; expect(faults.count('ImportCertificate')).toBe(3);
 */

/** One SDK call seen by an instrumented client. */
export interface SentCall {
  /** The command's class name, e.g. `ImportCertificateCommand`. */
  readonly command: string;
  readonly input: any;
  /** The client's name, e.g. `ACMClient`. */
  readonly client?: string;
  /** The kind of fault injected into this call, if one was. */
  readonly injected?: FaultKind;
}

/** What an injected fault does. */
export type FaultKind = 'throttling' | 'unavailable' | 'internal' | 'timeout' | 'network' | 'lost-response' | 'error';

/** The kinds that model transient trouble: a robust handler survives each of them. */
export const TRANSIENT_FAULT_KINDS: readonly FaultKind[] = ['throttling', 'unavailable', 'internal', 'timeout', 'network', 'lost-response'];

/**
 * A fault on the calls of one command. The calls of `command` are counted from 1; from call `nth`
 * on, `times` calls fail (`times` counts down as they do). A fault with `error` and no `kind` is of
 * kind `'error'` (the form of test/handlers/dns-validated-certificate-fixtures.ts).
 */
export interface Fault {
  /** The command, with or without the `Command` suffix: `ImportCertificate` or `ImportCertificateCommand`. */
  readonly command: string;
  /** How many calls still fail (or are answered/patched). */
  times: number;
  /** The first matching call that fails (1-based). @default 1 */
  readonly nth?: number;
  readonly kind?: FaultKind;
  /** The error name, for kind `'error'` (required) or `'throttling'` (@default 'ThrottlingException'). */
  readonly error?: string;
  /** Answers the call without reaching moto (an API moto lacks). */
  readonly respond?: () => any;
  /** Patches moto's output. */
  readonly patch?: (output: any) => any;
  /** Matching calls seen so far (kept by the middleware). */
  seen?: number;
}

/** Where the fault middleware sits in the client's stack (see the top of this file). */
export type FaultLayer = 'handler' | 'sdk';

/** A fault of `kind` on the `nth` call of `command`, for `times` calls. */
export function fault(kind: FaultKind, command: string, o: { nth?: number; times?: number; error?: string } = {}): Fault {
  if (kind === 'error' && o.error === undefined) {
    throw new Error(`fault('error', '${command}') needs an error name`);
  }
  return { command, kind, times: o.times ?? 1, nth: o.nth ?? 1, error: o.error };
}

/** Marks the errors this module makes, so a test can tell them from moto's. */
const INJECTED = Symbol.for('cdk-pki.injected-fault');

/** Whether `err` was made by this module. */
export function isInjectedFault(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as any)[INJECTED] === true;
}

/** The error a real client gives for a fault of `kind` on `command` (not for `lost-response`'s success part). */
export function injectedError(kind: FaultKind, command: string, errorName?: string): Error {
  const metadata = (httpStatusCode: number) => ({ httpStatusCode, requestId: `injected-${command}`, attempts: 1, totalRetryDelay: 0 });
  const make = (name: string, message: string, extra: Record<string, unknown>) => {
    const err = Object.assign(new Error(`${message} (injected by the test into ${command})`), extra, { [INJECTED]: true });
    err.name = name;
    return err;
  };
  switch (kind) {
    case 'throttling':
      return make(errorName ?? 'ThrottlingException', 'Rate exceeded',
        { $fault: 'client', $metadata: metadata(400), $retryable: { throttling: true } });
    case 'unavailable':
      return make('ServiceUnavailable', 'Service is unavailable', { $fault: 'server', $metadata: metadata(503) });
    case 'internal':
      return make('InternalFailure', 'An internal error occurred', { $fault: 'server', $metadata: metadata(500) });
    case 'timeout':
      return make('TimeoutError', 'Connection timed out after 30000 ms', { code: 'ETIMEDOUT' });
    case 'network':
    case 'lost-response':
      return make('Error', 'socket hang up', { code: 'ECONNRESET' });
    case 'error':
      if (errorName === undefined) throw new Error(`a fault of kind 'error' on ${command} needs an error name`);
      return make(errorName, errorName, { $fault: 'client', $metadata: metadata(400) });
  }
}

function bare(command: string): string {
  return command.endsWith('Command') ? command.slice(0, -'Command'.length) : command;
}

/** The fault that fires for this call of `command`, after counting the call for every active fault. */
function dueFault(faults: readonly Fault[], command: string): Fault | undefined {
  let due: Fault | undefined;
  for (const f of faults) {
    if (f.times <= 0 || bare(f.command) !== bare(command)) continue;
    f.seen = (f.seen ?? 0) + 1;
    if (due === undefined && f.seen >= (f.nth ?? 1)) due = f;
  }
  return due;
}

function kindOf(f: Fault): FaultKind | undefined {
  return f.kind ?? (f.error !== undefined ? 'error' : undefined);
}

let middlewareSeq = 0;

/**
 * Adds the recording and fault middleware to `client` (see the top of this file for `layer`):
 * every call is appended to `calls`, and the first due fault of `faults` (read at each call, so a
 * test may push faults later) fires. Returns the client.
 */
export function instrument<C extends { middlewareStack: any }>(client: C, calls: SentCall[], faults: Fault[], layer: FaultLayer = 'handler'): C {
  const middleware = (next: any, context: any) => async (args: any) => {
    const command: string = context.commandName ?? 'UnknownCommand';
    const f = dueFault(faults, command);
    const kind = f === undefined ? undefined : kindOf(f);
    calls.push({ command, input: args.input, client: context.clientName, ...(kind === undefined ? {} : { injected: kind }) });
    if (f === undefined) return next(args);
    f.times--;
    if (f.respond !== undefined) {
      // Real outputs carry $metadata (the SDK's retry middleware writes into it at the 'sdk' layer).
      return { output: { $metadata: { httpStatusCode: 200, requestId: `answered-${command}`, attempts: 1, totalRetryDelay: 0 }, ...f.respond() }, response: {} };
    }
    if (kind === 'lost-response') {
      await next(args);
      throw injectedError('lost-response', command);
    }
    if (kind !== undefined) throw injectedError(kind, command, f.error);
    const result = await next(args);
    return f.patch === undefined ? result : { ...result, output: f.patch(result.output) };
  };
  const name = `cdkPkiFaults${++middlewareSeq}`;
  if (layer === 'handler') {
    client.middlewareStack.add(middleware, { step: 'initialize', priority: 'high', name });
  } else {
    client.middlewareStack.addRelativeTo(middleware, { relation: 'after', toMiddleware: 'retryMiddleware', name });
    withoutSdkBackoff(client);
  }
  return client;
}

/**
 * Makes the SDK's own retries of `client` wait 0 ms instead of its exponential backoff (up to 2 s
 * for throttling). The client's strategy (standard, with its `maxAttempts`) still classifies each
 * error, decides whether to retry and counts the attempts; only the wait between them goes.
 * Returns the client.
 */
export function withoutSdkBackoff<C>(client: C): C {
  const config = (client as { config?: { retryStrategy?: () => Promise<any> } }).config;
  const resolve = config?.retryStrategy;
  if (config === undefined || typeof resolve !== 'function') return client;
  config.retryStrategy = async () => {
    const strategy = await resolve.call(config);
    if (strategy?.retryBackoffStrategy !== undefined) {
      // @smithy/core 3 (current clients): the strategy itself waits its backoff strategy's delay.
      strategy.retryBackoffStrategy = { setDelayBase: () => undefined, computeNextBackoffDelay: () => 0 };
      return strategy;
    }
    if (typeof strategy?.refreshRetryTokenForRetry !== 'function') return strategy;
    // @smithy/middleware-retry 2 (older clients: ACM PCA, STS): the middleware waits the token's delay.
    return {
      acquireInitialRetryToken: (scope: string) => strategy.acquireInitialRetryToken(scope),
      refreshRetryTokenForRetry: async (token: unknown, errorInfo: unknown) =>
        Object.assign(await strategy.refreshRetryTokenForRetry(token, errorInfo), { getRetryDelay: () => 0 }),
      recordSuccess: (token: unknown) => strategy.recordSuccess(token),
    };
  };
  return client;
}

/** Calls and faults shared by the clients of one test. */
export interface FaultInjector {
  readonly calls: SentCall[];
  readonly faults: Fault[];
  /** Instruments a client (see `instrument`) and returns it. */
  attach<C extends { middlewareStack: any }>(client: C, layer?: FaultLayer): C;
  /** Adds faults; they apply to every attached client. */
  add(...faults: Fault[]): void;
  /** How many calls of `command` were made (with or without the `Command` suffix). */
  count(command: string): number;
  /** The calls into which a fault was injected. */
  injected(): SentCall[];
}

/** A fresh set of calls and faults for one test. */
export function faultInjector(faults: Fault[] = []): FaultInjector {
  const calls: SentCall[] = [];
  return {
    calls,
    faults,
    attach: (client, layer) => instrument(client, calls, faults, layer),
    add: (...more) => { faults.push(...more); },
    count: (command) => calls.filter((c) => bare(c.command) === bare(command)).length,
    injected: () => calls.filter((c) => c.injected !== undefined),
  };
}

/** One row of a table of fault scenarios. */
export interface FaultScenario {
  /** `<kind> on <command> #<nth>[ x<times>]`, for test names. */
  readonly name: string;
  readonly command: string;
  readonly kind: FaultKind;
  readonly nth: number;
  readonly times: number;
}

/**
 * The table of scenarios `commands` × `kinds` (default: the transient kinds), each on call `nth`
 * for `times` calls, for `test.each(table)('$name', ...)`; turn a row into a fault with `toFault`.
 */
export function faultScenarios(commands: readonly string[], kinds: readonly FaultKind[] = TRANSIENT_FAULT_KINDS,
  o: { nth?: number; times?: number } = {}): FaultScenario[] {
  const nth = o.nth ?? 1;
  const times = o.times ?? 1;
  return commands.flatMap((command) => kinds.map((kind) => ({
    name: `${kind} on ${bare(command)} #${nth}${times === 1 ? '' : ` x${times}`}`,
    command: bare(command),
    kind,
    nth,
    times,
  })));
}

/** The fault of a scenario row. */
export function toFault(s: Pick<FaultScenario, 'command' | 'kind'> & { nth?: number; times?: number; error?: string }): Fault {
  return fault(s.kind, s.command, { nth: s.nth, times: s.times, error: s.error });
}
