/**
 * How SST's CLI bundles a Node.js function (pkg/runtime/node/build.go in SST 4.17), in one
 * place: the local stack, the benchmarks and the offline evaluation's stand-in for
 * `Runtime.Build` all build functions with these options, so none can drift from a deploy.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";

export { esbuild };

/**
 * SST 4.17's CLI embeds the Go module github.com/evanw/esbuild v0.27.2 (its go.mod); this
 * package pins the npm release of that version, so bundles are byte for byte a deploy's.
 */
export const SST_ESBUILD_VERSION = "0.27.2";

/** The esbuild target SST picks for each Lambda runtime. */
const TARGETS: Record<string, string> = {
  "nodejs24.x": "es2024",
  "nodejs22.x": "es2023",
  "nodejs20.x": "es2023",
  "nodejs18.x": "es2022",
};

/** Packages SST always leaves out of a bundle. */
const FORCE_EXTERNAL = ["sharp", "pg-native"];

const HANDLER_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];

/** The `nodejs` properties of `sst.aws.Function` this builder honours. */
export interface NodeBuildProperties {
  minify?: boolean;
  format?: "esm" | "cjs";
  banner?: string;
  loader?: Record<string, esbuild.Loader>;
  esbuild?: Pick<
    esbuild.BuildOptions,
    "external" | "define" | "keepNames" | "mainFields" | "conditions" | "target" | "nodePaths"
  >;
}

export function targetFor(runtime: string): string {
  const target = TARGETS[runtime];
  if (!target) throw new Error(`Runtime ${runtime} is not a Node.js runtime SST can build.`);
  return target;
}

/** The handler's source file and export: `src/a.handler` → `<root>/src/a.ts`, `handler`. */
export function resolveHandler(
  root: string,
  handler: string,
): { file: string; exportName: string } | undefined {
  const dot = handler.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const base = handler.slice(0, dot);
  const file = HANDLER_EXTENSIONS.map((ext) => join(root, base + ext)).find((f) => existsSync(f));
  return file ? { file, exportName: handler.slice(dot + 1) } : undefined;
}

/**
 * esbuild options for one function, as `sst deploy` (or, with `dev`, `sst dev`) builds it:
 * ESM with a `require` shim, the runtime's target, names kept, linked source maps, minified
 * only when deploying with `nodejs.minify`.
 */
export function functionBuildOptions(input: {
  file: string;
  outfile: string;
  runtime: string;
  dev: boolean;
  properties?: NodeBuildProperties;
  /** The CLI runs from the project root; unminified output names inputs relative to it. */
  root?: string;
}): esbuild.BuildOptions & { metafile: true } {
  const properties = input.properties ?? {};
  const custom = properties.esbuild ?? {};
  const esm = properties.format !== "cjs";
  const banner = [
    ...(esm
      ? [
          `import { createRequire as topLevelCreateRequire } from 'module';`,
          `const require = topLevelCreateRequire(import.meta.url);`,
          `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
          `const __filename = topLevelFileUrlToPath(import.meta.url)`,
          `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
        ]
      : []),
    properties.banner ?? "",
  ].join("\n");
  const minify = !input.dev && properties.minify === true;
  return {
    ...(input.root ? { absWorkingDir: input.root } : {}),
    entryPoints: [input.file],
    outfile: input.outfile,
    bundle: true,
    platform: "node",
    format: esm ? "esm" : "cjs",
    target: custom.target ?? targetFor(input.runtime),
    mainFields: custom.mainFields ?? (esm ? ["module", "main"] : ["main"]),
    ...(custom.conditions ? { conditions: custom.conditions } : {}),
    external: [...FORCE_EXTERNAL, ...(custom.external ?? [])],
    ...(properties.loader ? { loader: properties.loader } : {}),
    ...(custom.define ? { define: custom.define } : {}),
    ...(custom.nodePaths ? { nodePaths: custom.nodePaths } : {}),
    keepNames: custom.keepNames ?? true,
    sourcemap: "linked",
    metafile: true,
    minify,
    banner: { js: banner },
    logLevel: "silent",
  };
}
