import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createInterface } from "node:readline";
import { Worker } from "node:worker_threads";
import * as esbuild from "esbuild";
import { LOCAL_ACCOUNT_ID } from "./iam";
import { BodyTooLargeError, close, guarded, listen, readBody, requestUrl } from "./net";
import { repoRoot } from "./paths";

export interface LocalFunction {
  /** SST handler string relative to the repo root: `path/to/file.exportName`. */
  handler: string;
  environment: Record<string, string>;
  timeoutMs: number;
}

export interface FunctionError {
  errorType: string;
  errorMessage: string;
}

export type InvokeResult = { ok: true; payload: unknown } | { ok: false; error: FunctionError };

interface WorkerReply {
  id: string;
  result?: unknown;
  error?: FunctionError;
}

/**
 * Runs one worker thread per loaded bundle: the handler module with its own
 * `process.env`, as a Lambda container has. Runs plain JS so it needs no
 * loader; it imports the bundle esbuild wrote.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { pathToFileURL } = require("node:url");
const loaded = import(pathToFileURL(workerData.bundle).href);
parentPort.on("message", async ({ id, event, context }) => {
  try {
    const module = await loaded;
    const handler = module[workerData.exportName];
    if (typeof handler !== "function") throw new TypeError(workerData.exportName + " is not a function");
    const deadline = Date.now() + context.timeoutMs;
    const result = await handler(event, { ...context, getRemainingTimeInMillis: () => deadline - Date.now() });
    parentPort.postMessage({ id, result: result === undefined ? null : result });
  } catch (error) {
    console.error(error);
    parentPort.postMessage({ id, error: { errorType: error?.name ?? "Error", errorMessage: String(error?.message ?? error) } });
  }
});
`;

class FunctionRunner {
  private context?: esbuild.BuildContext;
  private generation = 0;
  private buildError?: string;
  private ready!: Promise<void>;

  /** Resolves once the first build ended (with or without errors). */
  get built(): Promise<void> {
    return this.ready;
  }
  private worker?: {
    generation: number;
    thread: Worker;
    pending: Map<string, (r: WorkerReply) => void>;
  };

  constructor(
    readonly name: string,
    private readonly definition: LocalFunction,
    private readonly outDir: string,
    private readonly region: string,
    private readonly log: (line: string) => void,
  ) {}

  get bundlePath() {
    return `${this.outDir}/${this.name}/index.mjs`;
  }

  /**
   * Bundles the handler and rebuilds it on every source change, so edits
   * apply on the next invocation. Returns once watching: an invocation waits
   * for the first build, so the stack need not.
   */
  async start() {
    const { file } = splitHandler(this.definition.handler);
    let markReady!: () => void;
    this.ready = new Promise((resolve) => {
      markReady = resolve;
    });
    this.context = await esbuild.context({
      ...functionBuildOptions(file),
      outfile: this.bundlePath,
      sourcemap: "inline",
      logLevel: "silent",
      plugins: [
        {
          name: "generation",
          setup: (build) => {
            build.onEnd((result) => {
              this.generation += 1;
              this.buildError = result.errors.length
                ? result.errors.map((error) => error.text).join("\n")
                : undefined;
              if (this.buildError) this.log(`${this.name}: build failed\n${this.buildError}`);
              markReady();
            });
          },
        },
      ],
    });
    await this.context.watch();
  }

  async invoke(event: unknown): Promise<InvokeResult> {
    await this.ready;
    if (this.buildError) {
      return { ok: false, error: { errorType: "BuildError", errorMessage: this.buildError } };
    }
    const worker = this.currentWorker();
    const id = randomUUID();
    const context = {
      awsRequestId: id,
      functionName: this.name,
      functionVersion: "$LATEST",
      memoryLimitInMB: "1024",
      timeoutMs: this.definition.timeoutMs,
      invokedFunctionArn: functionArn(this.region, this.name),
    };
    const reply = await new Promise<WorkerReply>((resolve) => {
      const timer = setTimeout(() => {
        worker.pending.delete(id);
        // Lambda discards a timed-out runtime; the next invocation starts cold.
        if (this.worker === worker) this.worker = undefined;
        this.retireStaleWorker(worker);
        resolve({
          id,
          error: {
            errorType: "Sandbox.Timedout",
            errorMessage: `Task timed out after ${(this.definition.timeoutMs / 1000).toFixed(2)} seconds`,
          },
        });
      }, this.definition.timeoutMs);
      worker.pending.set(id, (message) => {
        clearTimeout(timer);
        resolve(message);
      });
      worker.thread.postMessage({ id, event, context });
    });
    this.retireStaleWorker(worker);
    return reply.error ? { ok: false, error: reply.error } : { ok: true, payload: reply.result };
  }

  private currentWorker() {
    if (this.worker?.generation === this.generation) return this.worker;
    const { exportName } = splitHandler(this.definition.handler);
    const thread = new Worker(WORKER_SOURCE, {
      eval: true,
      env: { ...baseEnvironment(this.name), ...this.definition.environment },
      workerData: { bundle: this.bundlePath, exportName },
      execArgv: ["--enable-source-maps"],
      stdout: true,
      stderr: true,
    });
    // What the function prints reaches the stack's log line by line, as in its
    // CloudWatch log stream.
    for (const stream of [thread.stdout, thread.stderr]) {
      createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on("line", (line) =>
        this.log(`${this.name} ${line}`),
      );
    }
    const pending = new Map<string, (reply: WorkerReply) => void>();
    thread.on("message", (reply: WorkerReply) => {
      pending.get(reply.id)?.(reply);
      pending.delete(reply.id);
    });
    thread.unref();
    const previous = this.worker;
    this.worker = { generation: this.generation, thread, pending };
    if (previous) this.retireStaleWorker(previous);
    return this.worker;
  }

  private retireStaleWorker(worker: NonNullable<FunctionRunner["worker"]>) {
    if (worker !== this.worker && worker.pending.size === 0) void worker.thread.terminate();
  }

  async stop() {
    await this.context?.dispose();
    await this.worker?.thread.terminate();
  }
}

/** What every Lambda sees: region, credentials for the emulators, its own name. */
function baseEnvironment(name: string): Record<string, string> {
  const pass = [
    "PATH",
    "HOME",
    "TZ",
    "NODE_OPTIONS",
    "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED",
  ];
  return {
    ...Object.fromEntries(
      pass.flatMap((key) => (process.env[key] ? [[key, process.env[key] as string]] : [])),
    ),
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
  };
}

function splitHandler(handler: string) {
  const dot = handler.lastIndexOf(".");
  return { file: `${repoRoot}${handler.slice(0, dot)}.ts`, exportName: handler.slice(dot + 1) };
}

/**
 * esbuild options close to SST's Node bundling: ESM for Node, with a
 * `require` shim since some SDK dependencies still call it.
 */
export function functionBuildOptions(entry: string): esbuild.BuildOptions {
  return {
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    mainFields: ["module", "main"],
    banner: {
      js: 'import { createRequire as topLevelCreateRequire } from "module"; const require = topLevelCreateRequire(import.meta.url);',
    },
  };
}

export interface LambdaService {
  endpoint: string;
  /** Resolves when every deployed function's first build has ended. */
  built(): Promise<void>;
  /** Loads (or replaces) the functions the service runs. */
  deploy(functions: Record<string, LocalFunction>): Promise<void>;
  /** `caller`: who invokes it, for the function's resource policy (a user pool's trigger). */
  invoke(
    name: string,
    event: unknown,
    caller?: { principal: string; sourceArn?: string },
  ): Promise<InvokeResult>;
  stop(): Promise<void>;
}

/**
 * A local Lambda service: the functions run from their TypeScript sources and
 * are reachable in-process and over the Lambda Invoke API, which is how the
 * user-pool emulator calls its triggers. It listens before its functions are
 * deployed, so the pool can be given its endpoint and the functions the pool's id.
 */
export async function startLambda(options: {
  port: number;
  host?: string;
  outDir: string;
  /** Named in function ARNs and in each function's `AWS_REGION`. */
  region?: string;
  /** Receives the service's notices and every line a function prints, prefixed with its name. */
  log?: (line: string) => void;
}): Promise<LambdaService> {
  const host = options.host ?? "127.0.0.1";
  const region = options.region ?? "us-east-1";
  const log = options.log ?? (() => {});
  let runners = new Map<string, FunctionRunner>();

  const deploy = async (functions: Record<string, LocalFunction>) => {
    const next = new Map(
      Object.entries(functions).map(([name, definition]) => [
        name,
        new FunctionRunner(name, definition, options.outDir, region, log),
      ]),
    );
    await Promise.all([...next.values()].map((runner) => runner.start()));
    const previous = runners;
    runners = next;
    await Promise.all([...previous.values()].map((runner) => runner.stop()));
  };

  const invoke = async (
    name: string,
    event: unknown,
    _caller?: { principal: string; sourceArn?: string },
  ): Promise<InvokeResult> => {
    const runner = runners.get(name);
    if (!runner) {
      return {
        ok: false,
        error: {
          errorType: "ResourceNotFoundException",
          errorMessage: `Function not found: ${functionArn(region, name)}`,
        },
      };
    }
    const result = await runner.invoke(event);
    if (!result.ok) log(`${name} failed: ${result.error.errorType}`);
    return result;
  };

  const server = createServer(
    guarded(
      (request, response) =>
        serveInvoke(request, response, { runners: () => runners, invoke, region, log }),
      (error) => log(`lambda: request failed: ${String(error)}`),
      (response) => sendLambdaError(response, 500, "ServiceException", "Service", "Internal error"),
    ),
  );
  const port = await listen(server, options.port, host, "LOCAL_LAMBDA_PORT");

  return {
    endpoint: `http://${host}:${port}`,
    deploy,
    invoke,
    built: async () => {
      await Promise.all([...runners.values()].map((runner) => runner.built));
    },
    stop: async () => {
      await close(server);
      await Promise.all([...runners.values()].map((runner) => runner.stop()));
    },
  };
}

export function functionArn(region: string, name: string) {
  return `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${name}`;
}

/** Lambda's synchronous request payload limit. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/**
 * The Invoke API (`POST /2015-03-31/functions/{name}/invocations`) with the
 * errors Lambda documents for it: an unknown function is a 404
 * ResourceNotFoundException, a body that is not JSON a 400
 * InvalidRequestContentException, a payload over 6 MB a 413
 * RequestTooLargeException. A function error is a 200 with
 * `X-Amz-Function-Error: Unhandled`, as on AWS.
 */
async function serveInvoke(
  request: IncomingMessage,
  response: ServerResponse,
  service: {
    runners: () => ReadonlyMap<string, unknown>;
    invoke: (name: string, event: unknown) => Promise<InvokeResult>;
    region: string;
    log: (line: string) => void;
  },
) {
  const url = requestUrl(request, "http://lambda");
  if (!url) {
    request.resume();
    return sendLambdaError(
      response,
      400,
      "InvalidRequestContentException",
      "User",
      "The request target is not a valid URL.",
    );
  }
  const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(url.pathname);
  if (request.method !== "POST" || !match?.[1]) {
    request.resume();
    return sendLambdaError(response, 404, "UnknownOperationException", "User", "Unknown operation");
  }
  let requested: string;
  try {
    requested = decodeURIComponent(match[1]);
  } catch {
    request.resume();
    return sendLambdaError(
      response,
      400,
      "InvalidParameterValueException",
      "User",
      "The function name is not valid.",
    );
  }
  const { name, qualifier } = parseFunctionName(requested, url.searchParams.get("Qualifier"));
  if (!service.runners().has(name) || (qualifier !== undefined && qualifier !== "$LATEST")) {
    request.resume();
    const arn = functionArn(service.region, name) + (qualifier ? `:${qualifier}` : "");
    return sendLambdaError(
      response,
      404,
      "ResourceNotFoundException",
      "User",
      `Function not found: ${arn}`,
    );
  }
  const invocationType = headerValue(request, "x-amz-invocation-type") ?? "RequestResponse";
  if (!["RequestResponse", "Event", "DryRun"].includes(invocationType)) {
    request.resume();
    return sendLambdaError(
      response,
      400,
      "InvalidParameterValueException",
      "User",
      `Unsupported invocation type: ${invocationType}`,
    );
  }

  let body: Buffer;
  try {
    body = await readBody(request, MAX_PAYLOAD_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      return sendLambdaError(
        response,
        413,
        "RequestTooLargeException",
        "User",
        `Request must be smaller than ${MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation`,
      );
    }
    request.destroy();
    return;
  }
  let event: unknown = {};
  if (body.length) {
    try {
      event = JSON.parse(body.toString("utf8"));
    } catch (error) {
      return sendLambdaError(
        response,
        400,
        "InvalidRequestContentException",
        "User",
        `Could not parse request body into json: ${(error as Error).message}`,
      );
    }
  }

  const headers = { "x-amz-executed-version": "$LATEST", "x-amzn-requestid": randomUUID() };
  if (invocationType === "DryRun") {
    response.writeHead(204, headers).end();
    return;
  }
  if (invocationType === "Event") {
    response.writeHead(202, headers).end();
    void service.invoke(name, event).catch((error) => service.log(`${name}: ${String(error)}`));
    return;
  }
  const result = await service.invoke(name, event);
  response.writeHead(200, {
    ...headers,
    "content-type": "application/json",
    ...(result.ok ? {} : { "x-amz-function-error": "Unhandled" }),
  });
  response.end(JSON.stringify(result.ok ? result.payload : result.error));
}

/**
 * A function is named by its name, its ARN or a partial ARN
 * (`123456789012:function:name`), each optionally with `:qualifier`.
 */
function parseFunctionName(requested: string, queryQualifier: string | null) {
  const parts = requested.split(":");
  let name = requested;
  let qualifier: string | undefined;
  const functionIndex = parts.indexOf("function");
  if (functionIndex >= 0 && parts[functionIndex + 1]) {
    name = parts[functionIndex + 1] as string;
    qualifier = parts[functionIndex + 2];
  } else if (parts.length === 2) {
    [name, qualifier] = parts as [string, string];
  }
  return { name, qualifier: queryQualifier ?? qualifier };
}

function headerValue(request: IncomingMessage, name: string) {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Lambda's REST-JSON error: `x-amzn-ErrorType` names it, the body carries `Type` and `message`. */
function sendLambdaError(
  response: ServerResponse,
  status: number,
  errorType: string,
  type: "User" | "Service",
  message: string,
) {
  response.writeHead(status, {
    "content-type": "application/json",
    "x-amzn-errortype": errorType,
    "x-amzn-requestid": randomUUID(),
    ...(status === 413 ? { connection: "close" } : {}),
  });
  response.end(JSON.stringify({ Type: type, message }));
}
