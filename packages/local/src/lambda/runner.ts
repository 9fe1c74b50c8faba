import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import { Worker } from "node:worker_threads";
import {
  esbuild,
  functionBuildOptions,
  type NodeBuildProperties,
  resolveHandler,
} from "@userprofile/sst-offline/function-build";
import type { InvokePermission } from "../spec";

/** A function as the local Lambda service runs it. */
export interface LocalFunction {
  /** SST handler string relative to the project root: `path/to/file.exportName`. */
  handler: string;
  /** Decides the build target, as a deploy's. */
  runtime: string;
  /** The function's `nodejs` build properties. */
  properties: NodeBuildProperties;
  environment: Record<string, string>;
  timeoutMs: number;
  memoryMB: number;
  arn: string;
  /** How the function's log lines are prefixed: its name in sst.config.ts. */
  label: string;
  /** Its resource-based policy; when absent, services' in-process calls are not checked. */
  invokePermissions?: InvokePermission[];
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

/** What every Lambda sees beside its own environment: its name, version and memory. */
function baseEnvironment(name: string, definition: LocalFunction): Record<string, string> {
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
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(definition.memoryMB),
  };
}

export class FunctionRunner {
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
    readonly definition: LocalFunction,
    private readonly root: string,
    private readonly outDir: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Resolves once the first build ended (with or without errors). */
  get built(): Promise<void> {
    return this.ready;
  }

  get bundlePath() {
    return `${this.outDir}/${this.name}/bundle.mjs`;
  }

  /**
   * Bundles the handler as `sst dev` does and rebuilds it on every source change, so edits
   * apply on the next invocation. Returns once watching: an invocation waits for the first
   * build, so the stack need not.
   */
  async start() {
    let markReady!: () => void;
    this.ready = new Promise((resolve) => {
      markReady = resolve;
    });
    const resolved = resolveHandler(this.root, this.definition.handler);
    if (!resolved) {
      this.buildError = `Handler not found: ${this.definition.handler}`;
      this.log(`${this.definition.label}: ${this.buildError}`);
      markReady();
      return;
    }
    this.context = await esbuild.context({
      ...functionBuildOptions({
        file: resolved.file,
        outfile: this.bundlePath,
        runtime: this.definition.runtime,
        dev: true,
        properties: this.definition.properties,
        root: this.root,
      }),
      plugins: [
        {
          name: "generation",
          setup: (build) => {
            build.onEnd((result) => {
              this.generation += 1;
              this.buildError = result.errors.length
                ? result.errors.map((error) => error.text).join("\n")
                : undefined;
              if (this.buildError) {
                this.log(`${this.definition.label}: build failed\n${this.buildError}`);
              }
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
    const { timeoutMs, memoryMB, arn } = this.definition;
    const context = {
      awsRequestId: id,
      functionName: this.name,
      functionVersion: "$LATEST",
      memoryLimitInMB: String(memoryMB),
      timeoutMs,
      invokedFunctionArn: arn,
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
            errorMessage: `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
          },
        });
      }, timeoutMs);
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
    const resolved = resolveHandler(this.root, this.definition.handler);
    const thread = new Worker(WORKER_SOURCE, {
      eval: true,
      env: { ...baseEnvironment(this.name, this.definition), ...this.definition.environment },
      workerData: { bundle: this.bundlePath, exportName: resolved?.exportName },
      execArgv: ["--enable-source-maps"],
      stdout: true,
      stderr: true,
    });
    // What the function prints reaches the stack's log line by line, as in its
    // CloudWatch log stream.
    for (const stream of [thread.stdout, thread.stderr]) {
      createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on("line", (line) =>
        this.log(`${this.definition.label} ${line}`),
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
