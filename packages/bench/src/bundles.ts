import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { apiRoutes } from "@userprofile/functions/api/routes";
import { postConfirmationFunction } from "@userprofile/functions/definitions";
import * as esbuild from "esbuild";
import { SST_ESBUILD_VERSION, sstDeployBuildOptions } from "./build-options";
import { benchDir, cacheDir, repoRoot } from "./paths";

export interface BundleTarget {
  name: string;
  /** SST handler string, or a bench source for the baselines. */
  handler: string;
  kind: "function" | "baseline";
}

export interface BundleResult extends BundleTarget {
  file: string;
  bytes: number;
  gzipBytes: number;
  /** Bytes in the output per package (or workspace folder), largest first. */
  topInputs: Array<{ input: string; bytes: number }>;
}

export const functionTargets: BundleTarget[] = [
  { name: "post-confirmation", handler: postConfirmationFunction.handler, kind: "function" },
  ...apiRoutes.map((route) => ({
    name: `${route.method} ${route.path}`,
    handler: route.handler,
    kind: "function" as const,
  })),
];

export const baselineTargets: BundleTarget[] = [
  {
    name: "baseline put-item",
    handler: `${benchDir}src/baseline/put-item.handler`,
    kind: "baseline",
  },
  { name: "baseline empty", handler: `${benchDir}src/baseline/empty.handler`, kind: "baseline" },
  {
    name: "bare calls",
    handler: `${benchDir}src/baseline/bare-calls.putProfile`,
    kind: "baseline",
  },
];

export function entryOf(handler: string) {
  const file = handler.slice(0, handler.lastIndexOf("."));
  return `${file.startsWith("/") ? "" : repoRoot}${file}.ts`;
}

/** Which package a metafile input belongs to: `@aws-sdk/client-dynamodb`, `packages/core`, ... */
export function packageOf(input: string) {
  const modules = input.split("node_modules/");
  const last = modules.at(-1) as string;
  if (modules.length > 1) {
    const parts = last.split("/");
    return (parts[0]?.startsWith("@") ? parts.slice(0, 2) : parts.slice(0, 1)).join("/");
  }
  const workspace = /(packages\/[^/]+)/.exec(input);
  return workspace?.[1] ?? input;
}

/** `minify` shows what `nodejs: { minify: true }` on the function would change. */
export async function buildBundle(
  target: BundleTarget,
  outDir = `${cacheDir}/bundles`,
  minify = false,
) {
  if (esbuild.version !== SST_ESBUILD_VERSION) {
    throw new Error(`esbuild ${esbuild.version} installed, SST builds with ${SST_ESBUILD_VERSION}`);
  }
  const dir = `${outDir}/${target.name.replace(/\W+/g, "-").replace(/^-|-$/g, "")}${minify ? "-min" : ""}`;
  await rm(dir, { recursive: true, force: true });
  const file = `${dir}/bundle.mjs`;
  const result = await esbuild.build({
    ...sstDeployBuildOptions(entryOf(target.handler), file, { projectRoot: repoRoot }),
    ...(minify ? { minify: true } : {}),
  });
  const output = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith(".mjs"));
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.[1].inputs ?? {})) {
    const name = packageOf(input);
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  const contents = readFileSync(file);
  return {
    ...target,
    name: minify ? `${target.name} (minified)` : target.name,
    file,
    bytes: contents.byteLength,
    gzipBytes: gzipSync(contents).byteLength,
    topInputs: [...byPackage]
      .map(([input, bytes]) => ({ input, bytes }))
      .sort((a, b) => b.bytes - a.bytes),
  } satisfies BundleResult;
}

export async function buildAllBundles(outDir?: string) {
  const results: BundleResult[] = [];
  for (const target of [...functionTargets, ...baselineTargets]) {
    results.push(await buildBundle(target, outDir));
  }
  return results;
}
