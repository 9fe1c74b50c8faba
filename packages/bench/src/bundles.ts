import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { apiRoutes } from "@userprofile/functions/api/routes";
import { postConfirmationFunction } from "@userprofile/functions/definitions";
import { esbuild } from "@userprofile/sst-offline/function-build";
import {
  type DeployBuild,
  projectBuild,
  SST_ESBUILD_VERSION,
  sstDeployBuildOptions,
} from "./build-options";
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

export const triggerTarget: BundleTarget = {
  name: "post-confirmation",
  handler: postConfirmationFunction.handler,
  kind: "function",
};

/** The least a Post Confirmation trigger that stores a profile can do. */
export const putItemBaselineTarget: BundleTarget = {
  name: "baseline put-item",
  handler: `${benchDir}src/baseline/put-item.handler`,
  kind: "baseline",
};

export const functionTargets: BundleTarget[] = [
  triggerTarget,
  ...apiRoutes.map((route) => ({
    name: `${route.method} ${route.path}`,
    handler: route.handler,
    kind: "function" as const,
  })),
];

export const baselineTargets: BundleTarget[] = [
  putItemBaselineTarget,
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

const slug = (name: string) => name.replace(/\W+/g, "-").replace(/^-|-$/g, "");

/** Builds a handler as `sst deploy` would with `build`'s settings: by default, this project's. */
export async function buildBundle(
  target: BundleTarget,
  build: DeployBuild = projectBuild,
  outDir = `${cacheDir}/bundles`,
) {
  if (esbuild.version !== SST_ESBUILD_VERSION) {
    throw new Error(`esbuild ${esbuild.version} installed, SST builds with ${SST_ESBUILD_VERSION}`);
  }
  const name = build.label ? `${target.name} (${build.label})` : target.name;
  const dir = `${outDir}/${slug(name)}`;
  await rm(dir, { recursive: true, force: true });
  const file = `${dir}/bundle.mjs`;
  const result = await esbuild.build(
    sstDeployBuildOptions(entryOf(target.handler), file, build, repoRoot),
  );
  const output = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith(".mjs"));
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.[1].inputs ?? {})) {
    const name = packageOf(input);
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  const contents = readFileSync(file);
  return {
    ...target,
    name,
    file,
    bytes: contents.byteLength,
    gzipBytes: gzipSync(contents).byteLength,
    topInputs: [...byPackage]
      .map(([input, bytes]) => ({ input, bytes }))
      .sort((a, b) => b.bytes - a.bytes),
  } satisfies BundleResult;
}

/** Every function and baseline as this project deploys them. */
export async function buildAllBundles(outDir?: string) {
  const results: BundleResult[] = [];
  for (const target of [...functionTargets, ...baselineTargets]) {
    results.push(await buildBundle(target, projectBuild, outDir));
  }
  return results;
}
