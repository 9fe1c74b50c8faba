import type { BuildOptions } from "esbuild";

/**
 * The esbuild options `sst deploy` uses for a Node function, replicated from
 * SST 4.17's `pkg/runtime/node/build.go` (the non-dev branch of `Build`) for a
 * function that sets no `nodejs` options, as every function in infra does:
 *
 * - esbuild itself: SST's CLI embeds the Go module `github.com/evanw/esbuild`
 *   v0.27.2 (its go.mod), so the bench pins the npm package at that version.
 * - `target`: from the runtime (`nodejs24.x` → es2024; infra/functions.ts sets
 *   that runtime for every function).
 * - `external`: only `sharp` and `pg-native` (`forceExternal`). The AWS SDK v3
 *   is NOT external: it is bundled although the Lambda runtime ships it.
 * - `minify`: off. The component docs say "@default true", but the Go struct
 *   field `Minify bool` is false unless `nodejs.minify` is set explicitly.
 * - `keepNames` true, `sourcemap` "linked" (the .map is uploaded apart and left
 *   out of the zip, so it is not part of the bundle's size), `splitting` false,
 *   `mainFields` ["module", "main"], ESM with the banner below.
 */
export const SST_ESBUILD_VERSION = "0.27.2";
export const LAMBDA_RUNTIME = "nodejs24.x";

const targets: Record<string, string> = {
  "nodejs24.x": "es2024",
  "nodejs22.x": "es2023",
  "nodejs20.x": "es2023",
};

export const SST_BANNER = [
  `import { createRequire as topLevelCreateRequire } from 'module';`,
  `const require = topLevelCreateRequire(import.meta.url);`,
  `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
  `const __filename = topLevelFileUrlToPath(import.meta.url)`,
  `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
  "",
].join("\n");

export function sstDeployBuildOptions(
  entry: string,
  outfile: string,
  options: { runtime?: string; projectRoot: string },
): BuildOptions & { metafile: true } {
  return {
    // The CLI runs from the project root; unminified output names each input
    // relative to it in a comment, so the working directory changes the bytes.
    absWorkingDir: options.projectRoot,
    entryPoints: [entry],
    platform: "node",
    external: ["sharp", "pg-native"],
    keepNames: true,
    bundle: true,
    splitting: false,
    metafile: true,
    outfile,
    sourcemap: "linked",
    write: true,
    format: "esm",
    target: targets[options.runtime ?? LAMBDA_RUNTIME] ?? "es2024",
    mainFields: ["module", "main"],
    banner: { js: SST_BANNER },
    logLevel: "silent",
  };
}
