import * as fs from 'fs';
import * as http from 'http';
import { createRequire } from 'module';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { format } from 'util';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/**
 * Runs custom-resource handlers through aws-cdk-lib's REAL provider-framework runtime: the files of
 * `aws-cdk-lib/custom-resources/lib/provider-framework/runtime/` that `custom-resources.Provider`
 * deploys as its `framework-onEvent` / `framework-isComplete` / `framework-onTimeout` functions, loaded
 * fresh for each run (their module state, `process.env` and `console` are the run's own).
 *
 * Replaced, and nothing else:
 * - `@aws-sdk/client-lambda`: `Lambda.invoke` calls our handler in-process, with the JSON payload the
 *   framework built, and answers like Lambda does (the result as JSON; a thrown error as
 *   `FunctionError: 'Unhandled'` with `errorType`/`errorMessage`/`trace`; past `functionTimeoutMs` the
 *   "Task timed out" error, while the handler keeps running in the background as a frozen Lambda would).
 * - `@aws-sdk/client-sfn`: `startExecution` records the waiter's input; the Step Functions waiter
 *   (`Retry` on States.ALL with interval, backoff and maxAttempts, then `Catch` to onTimeout) is
 *   emulated by calling the framework's own `isComplete` and `onTimeout` entry points.
 * - `https`: the framework PUTs the response with `https.request({ hostname, path })` (the port of
 *   the ResponseURL is dropped); the run routes that request to its own HTTP server on 127.0.0.1,
 *   which captures what CloudFormation would get.
 *
 * Usage:
 *   const res = await runThroughProvider({ onEvent: handler, event: cfnEvent('Create', {...}) });
 *   expect(res).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: arn });  // res.trace: invocations, logs
 */

/** What CloudFormation receives at the ResponseURL (the body of the framework's PUT). */
export interface CfnResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly NoEcho?: boolean;
  readonly Data?: Record<string, any>;
}

/** One invocation of a user function by the framework. */
export interface UserInvocation {
  readonly function: 'onEvent' | 'isComplete';
  /** The event the user function got (after the JSON round trip of Lambda). */
  readonly payload: any;
  readonly result?: any;
  readonly error?: { readonly errorType: string; readonly errorMessage: string };
}

/** Everything a run did besides the response. */
export interface ProviderTrace {
  readonly invocations: UserInvocation[];
  /** The `[provider-framework]` log lines of the framework functions. */
  readonly frameworkLogs: string[];
  /** Every PUT received at the ResponseURL (CloudFormation takes the first). */
  readonly responses: Array<{ readonly path: string; readonly headers: http.IncomingHttpHeaders; readonly body: string }>;
  /** Whether the waiter gave up and called onTimeout. */
  readonly timedOut: boolean;
  /** The ResponseURL the run used (it holds RESPONSE_URL_SECRET). */
  readonly responseUrl: string;
}

/** The response CloudFormation got, with the trace of the run. */
export interface ProviderRun extends CfnResponse {
  readonly trace: ProviderTrace;
}

/** A user handler: our Lambda entry points take the event and, optionally, the Lambda context. */
export type UserHandler = (event: any, context: any) => Promise<any>;

/** Options of `runThroughProvider`. */
export interface RunThroughProviderOptions {
  readonly onEvent: UserHandler;
  /** The asynchronous pattern's isComplete handler. @default - synchronous */
  readonly isComplete?: UserHandler;
  /** The event CloudFormation sends; its ResponseURL is replaced by the run's own. */
  readonly event: CloudFormationCustomResourceEvent;
  /** The waiter's interval between isComplete polls (`queryInterval`). @default 0 */
  readonly queryIntervalMs?: number;
  /** The waiter's retries after the first isComplete (the Provider sets totalTimeout / queryInterval). @default 60 */
  readonly maxAttempts?: number;
  /** The waiter's backoff rate. @default 1 */
  readonly backoffRate?: number;
  /** The user functions' Lambda timeout (context.getRemainingTimeInMillis counts down from it). @default 900000 */
  readonly functionTimeoutMs?: number;
}

/** The secret part of the run's ResponseURL (the same token as test/harness/cfn-event.ts): never to be logged. */
export const RESPONSE_URL_SECRET = 'SECRET-PRESIGNED-TOKEN';

const RUNTIME_DIR = path.join(path.dirname(require.resolve('aws-cdk-lib/custom-resources')), 'lib', 'provider-framework', 'runtime');
const ON_EVENT_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:cdk-pki-test-user-onEvent';
const IS_COMPLETE_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:cdk-pki-test-user-isComplete';

/** The framework's entry points and its Retry class, loaded for one run. */
interface Runtime {
  readonly framework: { onEvent(e: any): Promise<void>; isComplete(e: any): Promise<void>; onTimeout(e: any): Promise<void> };
  /** The framework's `Retry` error class (isComplete said "not yet"). */
  readonly Retry: any;
}

/** Loads the runtime's CommonJS files with the given modules, process.env and console. */
function loadRuntime(overrides: Record<string, unknown>, env: Record<string, string>, logs: string[]): Runtime {
  const cache = new Map<string, { exports: any }>();
  const requireFromRuntime = createRequire(path.join(RUNTIME_DIR, 'framework.js'));
  const sandboxProcess = new Proxy(process, { get: (target, key) => (key === 'env' ? env : Reflect.get(target, key)) });
  const capture = (...args: unknown[]) => { logs.push(format(...args)); };
  const sandboxConsole = { ...console, log: capture, error: capture, warn: capture, info: capture };
  const load = (file: string): any => {
    const cached = cache.get(file);
    if (cached) return cached.exports;
    const module = { exports: {} as any };
    cache.set(file, module);
    const source = fs.readFileSync(file, 'utf8');
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const fn = new Function('exports', 'require', 'module', '__filename', '__dirname', 'process', 'console', `${source}\n//# sourceURL=${file}`);
    fn(module.exports, requireFor, module, file, RUNTIME_DIR, sandboxProcess, sandboxConsole);
    return module.exports;
  };
  const requireFor = (name: string): unknown => {
    if (name.startsWith('./')) return load(path.join(RUNTIME_DIR, name.endsWith('.js') ? name : `${name}.js`));
    if (name in overrides) return overrides[name];
    return requireFromRuntime(name);
  };
  const framework = load(path.join(RUNTIME_DIR, 'framework.js'));
  const cfnResponse = load(path.join(RUNTIME_DIR, 'cfn-response.js'));
  return { framework, Retry: cfnResponse.Retry };
}

/** The answer of Lambda's Invoke API for one run of `handler` (see the top of this file). */
async function invokeLikeLambda(handler: UserHandler, payload: any, timeoutMs: number,
  name: string): Promise<{ result?: any; error?: UserInvocation['error']; response: any }> {
  const deadline = Date.now() + timeoutMs;
  const context = {
    functionName: name,
    awsRequestId: `invoke-${Math.random().toString(16).slice(2)}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
  const fail = (errorType: string, errorMessage: string, trace: string[]) => ({
    error: { errorType, errorMessage },
    response: { StatusCode: 200, FunctionError: 'Unhandled', Payload: Buffer.from(JSON.stringify({ errorType, errorMessage, trace })) },
  });
  try {
    const outcome = await Promise.race([Promise.resolve().then(() => handler(payload, context)), timedOut]);
    if (outcome === 'timeout') {
      return fail('Sandbox.Timedout', `RequestId: ${context.awsRequestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`, []);
    }
    // A Lambda result is JSON: undefined becomes null, Dates strings, functions disappear.
    const json = JSON.stringify(outcome ?? null);
    return { result: JSON.parse(json), response: { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: Buffer.from(json) } };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return fail(e.name, e.message, (e.stack ?? '').split('\n'));
  } finally {
    clearTimeout(timer);
  }
}

/** Runs one custom-resource event through the real provider framework (see the top of this file). */
export async function runThroughProvider(o: RunThroughProviderOptions): Promise<ProviderRun> {
  const responses: Array<{ path: string; headers: http.IncomingHttpHeaders; body: string }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'PUT') responses.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(req.method === 'PUT' ? 200 : 405).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const responseUrl = `http://127.0.0.1:${port}/cloudformation-response/${encodeURIComponent(o.event.RequestId)}?X-Amz-Signature=${RESPONSE_URL_SECRET}`;

  const invocations: UserInvocation[] = [];
  const frameworkLogs: string[] = [];
  const executions: string[] = [];
  const timeoutMs = o.functionTimeoutMs ?? 900_000;
  const users: Record<string, { name: 'onEvent' | 'isComplete'; handler: UserHandler }> = {
    [ON_EVENT_ARN]: { name: 'onEvent', handler: o.onEvent },
    ...(o.isComplete ? { [IS_COMPLETE_ARN]: { name: 'isComplete' as const, handler: o.isComplete } } : {}),
  };
  const overrides = {
    '@aws-sdk/client-lambda': {
      Lambda: class {
        async invoke(req: { FunctionName: string; Payload: string }) {
          const user = users[req.FunctionName];
          if (user === undefined) throw new Error(`the framework invoked an unknown function ${req.FunctionName}`);
          const payload = JSON.parse(req.Payload);
          const { result, error, response } = await invokeLikeLambda(user.handler, payload, timeoutMs, req.FunctionName.split(':').pop()!);
          invocations.push({ function: user.name, payload, ...(error ? { error } : { result }) });
          return response;
        }
      },
      waitUntilFunctionActiveV2: async () => ({ state: 'SUCCESS' }),
    },
    '@aws-sdk/client-sfn': {
      SFN: class {
        async startExecution(req: { stateMachineArn: string; input: string }) {
          executions.push(req.input);
          return { executionArn: `${req.stateMachineArn}:execution-${executions.length}`, startDate: new Date() };
        }
      },
    },
    'https': {
      request: (options: http.RequestOptions, callback: (res: http.IncomingMessage) => void) => {
        if (options.hostname !== '127.0.0.1') throw new Error(`the framework tried to reach ${options.hostname}, not the run's ResponseURL`);
        return http.request({ ...options, port }, callback);
      },
    },
  };
  const env: Record<string, string> = {
    USER_ON_EVENT_FUNCTION_ARN: ON_EVENT_ARN,
    ...(o.isComplete ? {
      USER_IS_COMPLETE_FUNCTION_ARN: IS_COMPLETE_ARN,
      WAITER_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:cdk-pki-test-waiter',
    } : {}),
  };
  let timedOut = false;
  try {
    const { framework, Retry } = loadRuntime(overrides, env, frameworkLogs);
    // Lambda hands the framework a JSON event.
    await framework.onEvent(JSON.parse(JSON.stringify({ ...o.event, ResponseURL: responseUrl })));
    for (const input of executions) {
      let interval = o.queryIntervalMs ?? 0;
      for (let retries = 0; ; retries++) {
        try {
          await framework.isComplete(JSON.parse(input));
          break;
        } catch (err) {
          const e = err as Error;
          if (retries >= (o.maxAttempts ?? 60)) {
            timedOut = true;
            // Step Functions' Catch hands onTimeout the failed Lambda's error; its Cause is Lambda's error JSON.
            const errorType = e instanceof Retry ? 'Error' : e.name;
            await framework.onTimeout({ Error: errorType, Cause: JSON.stringify({ errorType, errorMessage: e.message, trace: [] }) });
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, interval));
          interval *= o.backoffRate ?? 1;
        }
      }
    }
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  if (responses.length === 0) {
    throw new Error(`the provider framework sent no response to CloudFormation; its log:\n${frameworkLogs.join('\n')}`);
  }
  const body = JSON.parse(responses[0].body) as CfnResponse;
  return { ...body, trace: { invocations, frameworkLogs, responses, timedOut, responseUrl } };
}
