/**
 * The part of the SST CLI's RPC server (`SST_SERVER`) that the AWS components call while the
 * program runs: bootstrap bucket names, function builds and live targets, `Resource.*`.
 */
import { mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { basename, join } from "node:path";
import {
  esbuild,
  functionBuildOptions,
  type NodeBuildProperties,
  resolveHandler,
} from "../function-build";
import type { MockAccount } from "./mocks";
import { assetBucket } from "./recorded";

export interface RpcCall {
  method: string;
  args: Record<string, unknown>;
}

export interface RpcServer {
  url: string;
  calls: RpcCall[];
  close(): Promise<void>;
}

export async function startRpcServer(
  scratch: string,
  { region, accountId }: MockAccount,
): Promise<RpcServer> {
  const calls: RpcCall[] = [];

  async function handle(method: string, args: Record<string, unknown>): Promise<unknown> {
    switch (method) {
      case "Provider.Aws.Bootstrap":
        return {
          asset: assetBucket,
          assetEcrRegistryId: accountId,
          assetEcrUrl: `${accountId}.dkr.ecr.${region}.amazonaws.com/sst-asset`,
          state: "sst-state-test",
          appsyncHttp: `test.appsync-api.${region}.amazonaws.com`,
          appsyncRealtime: `test.appsync-realtime-api.${region}.amazonaws.com`,
        };
      case "Provider.Aws.Appsync":
        return {
          http: `test.appsync-api.${region}.amazonaws.com`,
          realtime: `test.appsync-realtime-api.${region}.amazonaws.com`,
        };
      case "Runtime.Build":
        return buildFunction(scratch, args);
      case "Runtime.AddTarget":
        return {};
      default:
        if (method.startsWith("Resource.")) return { id: `${method}-id`, outs: args };
        throw new Error(`rpc: can't find method ${method}`);
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on("end", () => {
      const { method, params } = JSON.parse(body) as { method: string; params: unknown[] };
      const args = (params[0] ?? {}) as Record<string, unknown>;
      calls.push({ method, args });
      handle(method, args).then(
        (result) => res.end(JSON.stringify({ result, error: null })),
        (error: unknown) =>
          res.end(JSON.stringify({ result: null, error: (error as Error).message })),
      );
    });
  });
  // Node's client agent keeps idle sockets 5 s, as long as the server's default: a call sent as
  // the server closes one fails with "socket hang up". The client must be the one to close.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Handler bundles by entry file and options: every stage of one process builds the same code. */
const handlerBundles = new Map<string, Promise<{ name: string; text: string }[]>>();

/** Bundles a Node handler like the CLI's node runtime: `<functionID>-src/bundle.mjs`. */
async function buildFunction(scratch: string, input: Record<string, unknown>) {
  const handler = String(input.handler);
  const out = join(scratch, ".sst", "artifacts", `${String(input.functionID)}-src`);
  const resolved = resolveHandler(scratch, handler);
  if (!resolved) return { handler, out, errors: [`Handler not found: ${handler}`], sourcemaps: [] };
  const properties = (input.properties ?? {}) as NodeBuildProperties;
  const dev = input.dev === true;
  const runtime = String(input.runtime);
  const key = JSON.stringify([realpathSync(resolved.file), runtime, dev, properties]);
  let bundle = handlerBundles.get(key);
  if (!bundle) {
    bundle = esbuild
      .build({
        ...functionBuildOptions({
          file: resolved.file,
          outfile: "bundle.mjs",
          runtime,
          dev,
          properties,
        }),
        write: false,
      })
      .then((result) => result.outputFiles.map((f) => ({ name: basename(f.path), text: f.text })));
    handlerBundles.set(key, bundle);
  }
  try {
    mkdirSync(out, { recursive: true });
    for (const { name, text } of await bundle) writeFileSync(join(out, name), text);
  } catch (error) {
    const failure = error as { errors?: { text: string }[]; message: string };
    const errors = failure.errors?.map((e) => e.text) ?? [failure.message];
    return { handler, out, errors, sourcemaps: [] };
  }
  return { handler: `bundle.${resolved.exportName}`, out, errors: [], sourcemaps: [] };
}
