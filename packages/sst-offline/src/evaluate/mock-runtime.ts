/**
 * Runs inside the evaluation bundle (the evaluator bundles it with sst.config.ts), so it shares
 * the bundle's `@pulumi/pulumi` through the `$util` global. Never imported by vitest directly.
 */
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { environmentRead } from "./env-recorder";
import { type MockAccount, mockCall, mockCreated, plain } from "./mocks";
import type { MockRuntimeResult, RecordedCall, RecordedRead, RecordedResource } from "./recorded";

type Inputs = Record<string, unknown>;
/** A Pulumi protobuf Struct: only ever passed back to the runtime. */
type Struct = unknown;

/** The part of `@pulumi/pulumi`'s runtime used here (SST exposes the module as `$util`). */
interface PulumiRuntime {
  setMocks(
    mocks: {
      newResource(args: { type: string; name: string; inputs: Inputs; id?: string }): {
        id: string;
        state: Inputs;
      };
      call(args: { token: string; inputs: Inputs }): Inputs;
    },
    project: string,
    stack: string,
    preview: boolean,
  ): Promise<void>;
  getMonitor(): unknown;
  deserializeProperties(struct: Struct): Inputs;
  runInPulumiStack(program: () => Promise<unknown>): Promise<unknown>;
  disconnect(): Promise<void>;
}
declare const $util: { runtime: PulumiRuntime };
declare const $app: { name: string; stage: string };

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): Struct;
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
}

interface ReadRequest {
  getType(): string;
  getName(): string;
  getId(): string;
}

interface RegisterOutputsRequest {
  getUrn(): string;
  getOutputs(): Struct;
}

type Callback = (
  err: unknown,
  response: { getUrn(): string; getObject(): Struct } | undefined,
) => void;

interface Monitor {
  registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
  readResource(req: ReadRequest, callback: Callback): Promise<void>;
  registerResourceOutputs(req: RegisterOutputsRequest, callback: Callback): void;
}

/**
 * Dynamic providers (SST's `Resource.*` resources) never run under mocks, yet Pulumi serializes
 * each one's closure, loading TypeScript and npm's Arborist: most of an evaluation's time.
 */
function skipProviderSerialization() {
  const closure = createRequire(import.meta.url)(
    "@pulumi/pulumi/runtime/closure/serializeClosure",
  ) as { serializeFunction: (...args: unknown[]) => Promise<unknown> };
  closure.serializeFunction = async () => ({
    text: "exports.handler = () => { throw new Error('serialized under mocks'); };",
    exportName: "handler",
    containsSecrets: false,
  });
}

export async function runUnderMocks(
  program: () => Promise<unknown>,
  resultPath: string,
  account: MockAccount,
) {
  const runtime = $util.runtime;
  skipProviderSerialization();
  const resources: RecordedResource[] = [];
  const invokes: RecordedCall[] = [];
  const reads: RecordedRead[] = [];
  const byUrn = new Map<string, RecordedResource>();
  const pendingOutputs = new Map<string, Inputs>();
  let outputs: Inputs = {};

  await runtime.setMocks(
    {
      newResource: ({ type, name, inputs, id }) => {
        const state = mockCreated(type, name, inputs, account, id);
        return { id: state.id, state };
      },
      call: ({ token, inputs }) => {
        invokes.push({ token, inputs: plain(inputs) as Inputs });
        return mockCall(token, inputs, account);
      },
    },
    $app.name,
    $app.stage,
    false,
  );

  // Mocks' `newResource` never sees resource options; the monitor's request carries them.
  const monitor = runtime.getMonitor() as unknown as Monitor;
  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    const record: RecordedResource = {
      type: req.getType(),
      name: req.getName(),
      urn: "",
      custom: req.getCustom(),
      parent: req.getParent(),
      inputs: plain(runtime.deserializeProperties(req.getObject())) as Inputs,
      state: {},
      options: {
        protect: req.getProtect() ?? false,
        retainOnDelete: req.getRetainondelete() ?? false,
      },
    };
    resources.push(record);
    return registerResource(req, (err, response) => {
      if (response) {
        record.urn = response.getUrn();
        record.state = plain(runtime.deserializeProperties(response.getObject())) as Inputs;
        byUrn.set(record.urn, record);
      }
      callback(err, response);
    });
  };
  const readResource = monitor.readResource.bind(monitor);
  monitor.readResource = (req, callback) => {
    reads.push({ type: req.getType(), name: req.getName(), id: req.getId() });
    return readResource(req, callback);
  };
  const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req, callback) => {
    pendingOutputs.set(
      req.getUrn(),
      plain(runtime.deserializeProperties(req.getOutputs())) as Inputs,
    );
    registerResourceOutputs(req, callback);
  };

  const errors = new Set<string>();
  const describe = (e: unknown) => (e instanceof Error ? (e.stack ?? e.message) : String(e));
  let written = false;
  const finish = () => {
    if (written) return;
    written = true;
    for (const [urn, value] of pendingOutputs) {
      const resource = byUrn.get(urn);
      if (resource) resource.outputs = value;
    }
    const error = errors.size ? [...errors].join("\n\n") : undefined;
    const result: MockRuntimeResult = {
      resources,
      reads,
      invokes,
      outputs,
      environment: environmentRead(),
      ...(error ? { error } : {}),
    };
    writeFileSync(resultPath, JSON.stringify(result));
    if (error) process.exitCode = 1;
  };
  process.on("unhandledRejection", (reason) => errors.add(describe(reason)));
  // A rejected input leaves the stack's outputs pending forever; report instead of exiting 13.
  process.on("beforeExit", () => {
    if (!written) errors.add("The program never finished (a resource input never resolved).");
    finish();
  });

  try {
    outputs = (plain(await runtime.runInPulumiStack(program)) ?? {}) as Inputs;
    // Resources created inside `apply` callbacks register after the stack's outputs resolve.
    await runtime.disconnect();
  } catch (e) {
    errors.add(describe(e));
  }
  finish();
}
