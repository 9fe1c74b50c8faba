import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { Worker } from "node:worker_threads";
import * as esbuild from "esbuild";
import { close, listen, readBody } from "./net";
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
  private worker?: {
    generation: number;
    thread: Worker;
    pending: Map<string, (r: WorkerReply) => void>;
  };

  constructor(
    readonly name: string,
    private readonly definition: LocalFunction,
    private readonly outDir: string,
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
      invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${this.name}`,
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
    });
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
  /** Loads (or replaces) the functions the service runs. */
  deploy(functions: Record<string, LocalFunction>): Promise<void>;
  invoke(name: string, event: unknown): Promise<InvokeResult>;
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
  log?: (line: string) => void;
}): Promise<LambdaService> {
  const host = options.host ?? "127.0.0.1";
  let runners = new Map<string, FunctionRunner>();

  const deploy = async (functions: Record<string, LocalFunction>) => {
    const next = new Map(
      Object.entries(functions).map(([name, definition]) => [
        name,
        new FunctionRunner(name, definition, options.outDir, options.log ?? (() => {})),
      ]),
    );
    await Promise.all([...next.values()].map((runner) => runner.start()));
    const previous = runners;
    runners = next;
    await Promise.all([...previous.values()].map((runner) => runner.stop()));
  };

  const invoke = async (name: string, event: unknown): Promise<InvokeResult> => {
    const runner = runners.get(name);
    if (!runner) {
      return {
        ok: false,
        error: {
          errorType: "ResourceNotFoundException",
          errorMessage: `Function not found: ${name}`,
        },
      };
    }
    const result = await runner.invoke(event);
    if (!result.ok) options.log?.(`${name} failed: ${result.error.errorType}`);
    return result;
  };

  const server = createServer(async (request, response) => {
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(request.url ?? "");
    const name = match?.[1] ? decodeURIComponent(match[1]) : undefined;
    if (request.method !== "POST" || !name || !runners.has(name)) {
      response.writeHead(404, { "content-type": "application/json" });
      response.end(JSON.stringify({ Type: "User", message: "Function not found" }));
      return;
    }
    const body = (await readBody(request)).toString("utf8");
    const result = await invoke(name, body ? JSON.parse(body) : {});
    if (result.ok) {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(result.payload));
    } else {
      response.writeHead(200, {
        "content-type": "application/json",
        "x-amz-function-error": "Unhandled",
      });
      response.end(JSON.stringify(result.error));
    }
  });
  const port = await listen(server, options.port, host, "LOCAL_LAMBDA_PORT");

  return {
    endpoint: `http://${host}:${port}`,
    deploy,
    invoke,
    stop: async () => {
      await close(server);
      await Promise.all([...runners.values()].map((runner) => runner.stop()));
    },
  };
}
