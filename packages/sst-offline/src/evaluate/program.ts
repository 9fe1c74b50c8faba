/**
 * Evaluates sst.config.ts the way the SST CLI does (pkg/project/run.go): `app()` first, then one
 * esbuild bundle of `run()` with `$app`/`$cli`/`$dev` defined, the platform's shim injected and
 * `aws`/`sst` as globals, run by Node under Pulumi's mock runtime instead of the engine. Each
 * evaluation runs in its own Node process: Pulumi's runtime state is global.
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
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { esbuild } from "../function-build";
import type { MockAccount } from "./mocks";
import type { EnvironmentRead, MockRuntimeResult } from "./recorded";
import { type RpcCall, startRpcServer } from "./rpc-server";

export interface App {
  name: string;
  stage: string;
  removal: "remove" | "retain" | "retain-all";
  protect: boolean;
  home: string;
  providers: Record<string, Record<string, unknown>>;
  version?: string;
}

export interface ProgramRun {
  app: App;
  result: MockRuntimeResult;
  /** What `app()` and `run()` read of the environment. */
  environment: EnvironmentRead;
  rpcCalls: RpcCall[];
  /** Project files the program is made of, relative to the project root. */
  inputs: string[];
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const envRecorder = here("./env-recorder.ts");
/** Variables the evaluator sets itself: not the program's inputs. */
const EVALUATOR_VARIABLES = ["SST_SERVER", "SST_AWS_REGION", "SST_OFFLINE_UNRECORDED"];

export async function runProgram(options: {
  root: string;
  stage: string;
  dev: boolean;
  account: MockAccount;
  sites: string[];
  env: Record<string, string | undefined>;
}): Promise<ProgramRun> {
  const { root, dev, account } = options;
  const platform = join(root, ".sst", "platform");
  if (!existsSync(join(platform, "node_modules", "@pulumi", "aws"))) {
    throw new Error(
      `No SST platform at ${platform}: run \`pnpm typecheck\` or \`pnpm dev:local\`, which install it.`,
    );
  }
  const scratch = mkdtempSync(join(tmpdir(), `sst-eval-${options.stage}-`));
  const server = await startRpcServer(scratch, account);
  const env = {
    ...options.env,
    SST_SERVER: server.url,
    SST_AWS_REGION: account.region,
    SST_OFFLINE_UNRECORDED: JSON.stringify(EVALUATOR_VARIABLES),
  };
  try {
    prepareScratchRoot(root, scratch, options.sites);
    const { app, environment: appEnvironment } = await evaluateApp(
      root,
      scratch,
      options.stage,
      env,
    );
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
    const built = await esbuild.build({
      ...programBuildOptions(root, platform, scratch),
      stdin: {
        contents: [
          `import { run } from ${JSON.stringify(join(platform, "src", "auto", "run.ts"))};`,
          `import mod from ${JSON.stringify(join(root, "sst.config.ts"))};`,
          `import { runUnderMocks } from ${JSON.stringify(here("./mock-runtime.ts"))};`,
          `await runUnderMocks(() => run(mod.run), ${JSON.stringify(resultPath)}, ${JSON.stringify(account)});`,
        ].join("\n"),
        resolveDir: root,
        sourcefile: "eval.ts",
        loader: "ts",
      },
      define: { $app: JSON.stringify(app), $cli: JSON.stringify(cli), $dev: String(dev) },
      inject: [envRecorder, join(platform, "src", "shim", "run.js")],
      outfile: bundle,
      metafile: true,
    });
    const { stdout, stderr } = await node(bundle, scratch, env);
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
      result,
      environment: {
        variables: [...new Set([...appEnvironment.variables, ...result.environment.variables])],
        enumerated: appEnvironment.enumerated || result.environment.enumerated,
      },
      rpcCalls: server.calls,
      inputs: projectInputs(root, scratch, Object.keys(built.metafile.inputs)),
    };
  } finally {
    await server.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Bundle inputs that belong to the project: not the platform, not node_modules. */
function projectInputs(root: string, scratch: string, inputs: string[]): string[] {
  const files = new Set<string>();
  for (const input of inputs) {
    if (input.startsWith("<")) continue;
    const absolute = resolve(scratch, input.replace(/^[a-z-]+:/, ""));
    const path = relative(root, absolute);
    if (path.startsWith("..") || isAbsolute(path)) continue;
    if (path.startsWith(".sst") || path.split(/[\\/]/).includes("node_modules")) continue;
    if (existsSync(absolute)) files.add(path);
  }
  return [...files].sort();
}

/**
 * The runtime root: the project's files by symlink, site stand-ins holding a built `dist/`
 * (the mock runtime never runs a site's build command), `node_modules` resolving the bundle's
 * externals (`@pulumi/*`) from the platform, and a private `.sst` working directory.
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

/** SST 4.17's physical names end in 8 random characters; derived from the name instead. */
const RANDOM_SUFFIX = 'crypto.randomBytes(8).toString("hex")';

function programBuildOptions(
  root: string,
  platform: string,
  scratch: string,
): esbuild.BuildOptions {
  const lockPath = join(root, ".sst", "provider-lock.json");
  const lock = existsSync(lockPath)
    ? (JSON.parse(readFileSync(lockPath, "utf8")) as { alias: string; package: string }[])
    : [{ alias: "aws", package: "@pulumi/aws" }];
  const globals = [
    ...lock.map((entry) => `import * as ${entry.alias} from ${JSON.stringify(entry.package)};`),
    `import * as sst from ${JSON.stringify(join(platform, "src", "components"))};`,
  ].join("\n");
  // esbuild hands plugins real paths: the platform may be a symlink (a linked checkout).
  const naming = realpathSync(join(platform, "src", "components", "naming.ts"));
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
            if (args.path === naming) return { contents: stableNaming(naming), loader: "ts" };
            if (args.path.includes(`${join(".sst", "platform")}`)) return undefined;
            if (args.path === envRecorder) return undefined;
            const contents = `${globals}\n${readFileSync(args.path, "utf8")}`;
            const loader = args.path.slice(args.path.lastIndexOf(".") + 1) as esbuild.Loader;
            return { contents, loader };
          });
        },
      },
    ],
  };
}

/**
 * A resource's physical name must not change between evaluations: the local stack keeps its
 * data under it. Fails loudly when an SST upgrade changes the code this relies on.
 */
function stableNaming(file: string): string {
  const source = readFileSync(file, "utf8");
  if (!source.includes(RANDOM_SUFFIX)) {
    throw new Error(`${file} no longer derives names as this evaluator expects; update it.`);
  }
  return source.replace(RANDOM_SUFFIX, "name + suffix");
}

/** `app()` evaluated and normalised as the CLI does before it builds the program. */
async function evaluateApp(
  root: string,
  scratch: string,
  stage: string,
  env: Record<string, string | undefined>,
): Promise<{ app: App; environment: EnvironmentRead }> {
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
        `import { environmentRead } from ${JSON.stringify(envRecorder)};`,
        `import mod from ${JSON.stringify(join(root, "sst.config.ts"))};`,
        `console.log("~j" + JSON.stringify(await mod.app({ stage: ${JSON.stringify(stage)} })));`,
        `console.log("~e" + JSON.stringify(environmentRead()));`,
      ].join("\n"),
      resolveDir: root,
      sourcefile: "app.ts",
      loader: "ts",
    },
    outfile,
  });
  const { stdout, stderr } = await node(outfile, scratch, env);
  const line = stdout.split("\n").find((l) => l.startsWith("~j"));
  const read = stdout.split("\n").find((l) => l.startsWith("~e"));
  if (!line || !read) throw new Error(`app() failed for stage ${stage}:\n${stdout}\n${stderr}`);
  const parsed = JSON.parse(line.slice(2)) as Partial<App> & {
    providers?: Record<string, Record<string, unknown> | string>;
  };
  const providers: App["providers"] = {};
  for (const [name, args] of Object.entries(parsed.providers ?? {})) {
    providers[name] = typeof args === "string" ? { version: args } : args;
  }
  const home = parsed.home ?? "";
  if (home !== "local" && !providers[home]) providers[home] = {};
  const app: App = {
    ...parsed,
    name: parsed.name ?? "",
    stage,
    home,
    providers,
    removal: parsed.removal ?? "retain",
    protect: parsed.protect ?? false,
  };
  return { app, environment: JSON.parse(read.slice(2)) as EnvironmentRead };
}

function node(script: string, cwd: string, env: Record<string, string | undefined>) {
  return new Promise<{ stdout: string; stderr: string }>((resolvePromise) => {
    execFile(
      process.execPath,
      ["--no-warnings", script],
      { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (_error, stdout, stderr) => resolvePromise({ stdout, stderr }),
    );
  });
}
