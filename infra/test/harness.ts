/**
 * Evaluates sst.config.ts offline the way the SST CLI does (pkg/project/run.go): one esbuild
 * bundle with `$app`/`$cli`/`$dev` defined, the platform's shim injected and `aws`/`sst` as
 * globals, run by Node under Pulumi's mock runtime instead of the engine. A local HTTP server
 * stands in for the CLI's RPC server at `SST_SERVER`. Each evaluation runs in its own Node
 * process: Pulumi's runtime state (stack transformations, the monitor) is global.
 */
import { execFile } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import type * as Esbuild from "../../.sst/platform/node_modules/esbuild";
import { settingVariables } from "../deploy-settings";
import {
  accountId,
  assetBucket,
  type MockRuntimeResult,
  type RecordedCall,
  type RecordedRead,
  type RecordedResource,
  region,
} from "./evaluation";

export type { RecordedCall, RecordedRead, RecordedResource } from "./evaluation";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

export interface EvaluateOptions {
  stage: string;
  /** `sst dev` instead of `sst deploy`. */
  dev?: boolean;
  /** Project to evaluate; defaults to this repository. */
  root?: string;
  /**
   * Sites (`<folder>/<site>`) replaced by a stand-in holding a built `dist/`: the mock runtime never runs
   * the site's build command, and SST writes generated files into a Vite site.
   */
  sites?: string[];
  /**
   * Deploy settings (infra/deploy-settings.ts) as `sst deploy` would read them from the
   * environment. Ones not given here are unset, whatever the test runner's environment holds.
   */
  env?: Record<string, string>;
}

export interface App {
  name: string;
  stage: string;
  removal: "remove" | "retain" | "retain-all";
  protect: boolean;
  home: string;
  providers: Record<string, Record<string, unknown>>;
  version?: string;
}

export interface RpcCall {
  method: string;
  args: Record<string, unknown>;
}

export interface Evaluation {
  app: App;
  resources: RecordedResource[];
  /** Existing resources the program looked up instead of creating. */
  reads: RecordedRead[];
  outputs: Record<string, unknown>;
  /** Provider functions the program called (`aws.getRegion`, policy documents...). */
  invokes: RecordedCall[];
  /** Calls the components made to the CLI. */
  rpcCalls: RpcCall[];
}

const cache = new Map<string, Promise<Evaluation>>();

/** Evaluates once per set of options within a test file. */
export function evaluate(options: EvaluateOptions): Promise<Evaluation> {
  const key = JSON.stringify([
    options.stage,
    options.dev ?? false,
    options.root,
    options.sites,
    options.env,
  ]);
  let result = cache.get(key);
  if (!result) {
    result = evaluateUncached(options);
    cache.set(key, result);
  }
  return result;
}

async function evaluateUncached(options: EvaluateOptions): Promise<Evaluation> {
  const root = options.root ?? repoRoot;
  const dev = options.dev ?? false;
  const platform = join(root, ".sst", "platform");
  if (!existsSync(join(platform, "node_modules", "@pulumi", "aws"))) {
    throw new Error(`No SST platform at ${platform}: run \`node scripts/install-platform.mjs\`.`);
  }
  const esbuild = createRequire(join(platform, "package.json"))("esbuild") as typeof Esbuild;

  const scratch = mkdtempSync(join(tmpdir(), `sst-infra-${options.stage}-`));
  const server = await startRpcServer(esbuild, scratch);
  try {
    prepareScratchRoot(root, scratch, options.sites ?? ["packages/web"]);
    const app = await evaluateApp(esbuild, root, scratch, options.stage);
    const cli = {
      command: dev ? "dev" : "deploy",
      dev,
      paths: {
        home: join(scratch, ".config"),
        root: scratch,
        work: join(scratch, ".sst"),
        platform,
      },
      state: { version: {} },
    };
    const bundle = join(scratch, ".sst", "eval.mjs");
    const resultPath = join(scratch, ".sst", "result.json");
    await esbuild.build({
      ...evalBuildOptions(root, platform, scratch),
      stdin: {
        contents: [
          `import { run } from ${JSON.stringify(join(platform, "src", "auto", "run.ts"))};`,
          `import mod from ${JSON.stringify(join(root, "sst.config.ts"))};`,
          `import { runUnderMocks } from ${JSON.stringify(fileURLToPath(new URL("./mock-runtime.ts", import.meta.url)))};`,
          `await runUnderMocks(() => run(mod.run), ${JSON.stringify(resultPath)});`,
        ].join("\n"),
        resolveDir: root,
        sourcefile: "eval.ts",
        loader: "ts",
      },
      define: { $app: JSON.stringify(app), $cli: JSON.stringify(cli), $dev: String(dev) },
      inject: [join(platform, "src", "shim", "run.js")],
      outfile: bundle,
    });

    const { stdout, stderr } = await node(bundle, scratch, {
      ...Object.fromEntries(Object.values(settingVariables).map((name) => [name, undefined])),
      ...options.env,
      SST_SERVER: server.url,
      SST_AWS_REGION: region,
    });
    if (!existsSync(resultPath)) {
      throw new Error(`The evaluation produced no result.\n${stdout}\n${stderr}`);
    }
    const result = JSON.parse(readFileSync(resultPath, "utf8")) as MockRuntimeResult;
    if (result.error) {
      throw new Error(
        `sst.config.ts failed for stage ${options.stage}:\n${result.error}\n${stderr}`,
      );
    }
    return {
      app,
      resources: result.resources,
      reads: result.reads,
      outputs: result.outputs,
      invokes: result.invokes,
      rpcCalls: server.calls,
    };
  } finally {
    await server.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The runtime root: the project's files by symlink, site stand-ins, `node_modules` resolving the
 * bundle's externals (`@pulumi/*`) from the platform, and a private `.sst` working directory.
 */
function prepareScratchRoot(root: string, scratch: string, sites: string[]) {
  const skip = new Set([
    ".sst",
    ".git",
    "node_modules",
    ...sites.map((site) => site.split("/")[0]),
  ]);
  for (const entry of readdirSync(root)) {
    if (!skip.has(entry)) symlinkSync(join(root, entry), join(scratch, entry));
  }
  for (const site of sites) {
    const [parent = "", name = ""] = site.split("/");
    const dir = join(scratch, parent);
    mkdirSync(dir, { recursive: true });
    for (const entry of readdirSync(join(root, parent))) {
      if (entry !== name && !existsSync(join(dir, entry))) {
        symlinkSync(join(root, parent, entry), join(dir, entry));
      }
    }
    if (!existsSync(join(root, site))) throw new Error(`No site at ${join(root, site)}.`);
    mkdirSync(join(scratch, site, "dist"), { recursive: true });
    writeFileSync(
      join(scratch, site, "dist", "index.html"),
      "<!doctype html><title>stand-in</title>",
    );
  }
  symlinkSync(join(root, ".sst", "platform", "node_modules"), join(scratch, "node_modules"));
  mkdirSync(join(scratch, ".sst"));
}

function evalBuildOptions(root: string, platform: string, scratch: string): Esbuild.BuildOptions {
  const lockPath = join(root, ".sst", "provider-lock.json");
  const lock = existsSync(lockPath)
    ? (JSON.parse(readFileSync(lockPath, "utf8")) as { alias: string; package: string }[])
    : [{ alias: "aws", package: "@pulumi/aws" }];
  const globals = [
    ...lock.map((entry) => `import * as ${entry.alias} from ${JSON.stringify(entry.package)};`),
    `import * as sst from ${JSON.stringify(join(platform, "src", "components"))};`,
  ].join("\n");
  return {
    bundle: true,
    write: true,
    format: "esm",
    platform: "node",
    mainFields: ["module", "main"],
    logLevel: "silent",
    nodePaths: [join(platform, "node_modules")],
    absWorkingDir: scratch,
    banner: {
      js: [
        `import { createRequire as topLevelCreateRequire } from "module";`,
        `const require = topLevelCreateRequire(import.meta.url);`,
        `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url";`,
        `const __filename = topLevelFileUrlToPath(import.meta.url);`,
        `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url));`,
      ].join("\n"),
    },
    external: [
      "@pulumi/*",
      "undici",
      "@pulumiverse/*",
      "@sst-provider/*",
      "@aws-sdk/*",
      "esbuild",
      "archiver",
      "glob",
      "vite",
    ],
    plugins: [
      {
        name: "inject-globals",
        setup(build) {
          build.onLoad({ filter: /\.(js|ts|jsx|tsx)$/ }, (args) => {
            if (args.path.includes(`${join(".sst", "platform")}`)) return undefined;
            const contents = `${globals}\n${readFileSync(args.path, "utf8")}`;
            const loader = args.path.slice(args.path.lastIndexOf(".") + 1) as Esbuild.Loader;
            return { contents, loader };
          });
        },
      },
    ],
  };
}

/** `app()` evaluated and normalised as the CLI does before it builds the program. */
async function evaluateApp(
  esbuild: typeof Esbuild,
  root: string,
  scratch: string,
  stage: string,
): Promise<App> {
  const outfile = join(scratch, ".sst", "app.mjs");
  await esbuild.build({
    bundle: true,
    write: true,
    format: "esm",
    platform: "node",
    logLevel: "silent",
    banner: { js: "function $config(input) { return input }" },
    stdin: {
      contents: [
        `import mod from ${JSON.stringify(join(root, "sst.config.ts"))};`,
        `console.log("~j" + JSON.stringify(await mod.app({ stage: ${JSON.stringify(stage)} })));`,
      ].join("\n"),
      resolveDir: root,
      sourcefile: "app.ts",
      loader: "ts",
    },
    outfile,
  });
  const { stdout, stderr } = await node(outfile, scratch, {});
  const line = stdout.split("\n").find((l) => l.startsWith("~j"));
  if (!line) throw new Error(`app() failed for stage ${stage}:\n${stdout}\n${stderr}`);
  const parsed = JSON.parse(line.slice(2)) as Partial<App> & {
    providers?: Record<string, Record<string, unknown> | string>;
  };
  const providers: App["providers"] = {};
  for (const [name, args] of Object.entries(parsed.providers ?? {})) {
    providers[name] = typeof args === "string" ? { version: args } : args;
  }
  const home = parsed.home ?? "";
  if (home !== "local" && !providers[home]) providers[home] = {};
  return {
    ...parsed,
    name: parsed.name ?? "",
    stage,
    home,
    providers,
    removal: parsed.removal ?? "retain",
    protect: parsed.protect ?? false,
  };
}

function node(script: string, cwd: string, env: Record<string, string | undefined>) {
  return new Promise<{ stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ["--no-warnings", script],
      { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (_error, stdout, stderr) => resolve({ stdout, stderr }),
    );
  });
}

interface RpcServer {
  url: string;
  calls: RpcCall[];
  close(): Promise<void>;
}

/** The part of the CLI's RPC server the AWS components call. */
async function startRpcServer(esbuild: typeof Esbuild, scratch: string): Promise<RpcServer> {
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
        return buildFunction(esbuild, scratch, args);
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

/** Handler bundles by entry file and target: every stage of one test file builds the same code. */
const handlerBundles = new Map<string, Promise<{ name: string; text: string }[]>>();

/** Bundles a Node handler like the CLI's node runtime: `<functionID>-src/bundle.mjs`. */
async function buildFunction(
  esbuild: typeof Esbuild,
  scratch: string,
  input: Record<string, unknown>,
) {
  const handler = String(input.handler);
  const dot = handler.lastIndexOf(".");
  const base = handler.slice(0, dot);
  const file = [".ts", ".tsx", ".mts", ".js", ".mjs", ".cjs"]
    .map((ext) => join(scratch, base + ext))
    .find((candidate) => existsSync(candidate));
  const out = join(scratch, ".sst", "artifacts", `${String(input.functionID)}-src`);
  if (!file) return { handler, out, errors: [`Handler not found: ${handler}`], sourcemaps: [] };

  const target = `node${/^nodejs(\d+)/.exec(String(input.runtime))?.[1] ?? "22"}`;
  // The CLI minifies only when the function's `nodejs.minify` is true (never under `sst dev`).
  const properties = (input.properties ?? {}) as { minify?: unknown };
  const minify = properties.minify === true && input.dev !== true;
  const key = `${realpathSync(file)}\0${target}\0${minify}`;
  let bundle = handlerBundles.get(key);
  if (!bundle) {
    bundle = esbuild
      .build({
        entryPoints: [file],
        bundle: true,
        write: false,
        format: "esm",
        platform: "node",
        logLevel: "silent",
        target,
        minify,
        external: ["sharp", "pg-native"],
        outfile: "bundle.mjs",
        banner: {
          js: [
            `import { createRequire as topLevelCreateRequire } from "module";`,
            `const require = topLevelCreateRequire(import.meta.url);`,
          ].join("\n"),
        },
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
  return { handler: `bundle${handler.slice(dot)}`, out, errors: [], sourcemaps: [] };
}

export function ofType(evaluation: Evaluation, type: string): RecordedResource[] {
  return evaluation.resources.filter((resource) => resource.type === type);
}

export function only<T>(items: T[], what: string): T {
  const [item, ...rest] = items;
  if (!item || rest.length) throw new Error(`Expected exactly one ${what}, found ${items.length}.`);
  return item;
}

export function childrenOf(
  evaluation: Evaluation,
  parent: RecordedResource,
  type: string,
): RecordedResource[] {
  return evaluation.resources.filter((r) => r.parent === parent.urn && r.type === type);
}

export interface Statement {
  effect: string;
  actions: string[];
  resources: string[];
}

const toArray = (value: unknown): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)];

/** The statements of a role's inline policies, each action and resource as a list. */
export function inlineStatements(role: RecordedResource): Statement[] {
  const policies = (role.inputs.inlinePolicies ?? []) as { policy?: string }[];
  return policies.flatMap((policy) => {
    const document = JSON.parse(policy.policy ?? "{}") as { Statement?: Record<string, unknown>[] };
    return (document.Statement ?? []).map((s) => ({
      effect: String(s.Effect),
      actions: toArray(s.Action),
      resources: toArray(s.Resource),
    }));
  });
}

export interface DeployedFunction {
  component: RecordedResource;
  lambda: RecordedResource;
  role: RecordedResource;
}

/** The function SST deploys for a handler (`packages/.../file.handler`), found by its metadata. */
export function functionWithHandler(evaluation: Evaluation, handler: string): DeployedFunction {
  const component = only(
    ofType(evaluation, "sst:aws:Function").filter((f) => {
      const metadata = f.outputs?._metadata as { handler?: string } | undefined;
      return metadata?.handler === handler;
    }),
    `function with handler ${handler}`,
  );
  return {
    component,
    lambda: only(childrenOf(evaluation, component, "aws:lambda/function:Function"), "lambda"),
    role: only(childrenOf(evaluation, component, "aws:iam/role:Role"), "role"),
  };
}
