import { functionDeployDefaults } from "@userprofile/functions/definitions";
import type { BuildOptions } from "esbuild";

/**
 * The esbuild options `sst deploy` uses for a Node function, replicated from
 * SST 4.17's `pkg/runtime/node/build.go` (the non-dev branch of `Build`):
 *
 * - esbuild itself: SST's CLI embeds the Go module `github.com/evanw/esbuild`
 *   v0.27.2 (its go.mod), so the bench pins the npm package at that version.
 * - `target`: from the runtime (`nodejs24.x` → es2024).
 * - `external`: only `sharp` and `pg-native` (`forceExternal`). The AWS SDK v3
 *   is NOT external: it is bundled although the Lambda runtime ships it.
 * - `minify`: off unless the function sets `nodejs.minify` (the Go struct field
 *   `Minify bool` is false otherwise, whatever the component docs' "@default
 *   true" says); when set, whitespace, syntax and identifiers are minified
 *   while `keepNames` stays on.
 * - `keepNames` true, `sourcemap` "linked" (the .map is uploaded apart and left
 *   out of the zip, so it is not part of the bundle's size), `splitting` false,
 *   `mainFields` ["module", "main"], ESM with the banner below.
 */
export const SST_ESBUILD_VERSION = "0.27.2";

/** The `nodejs` function properties the bench replicates. */
export interface NodejsProperties {
  minify?: boolean;
}

export interface DeployBuild {
  /** How the bench names bundles built this way ("" for the project's own). */
  label: string;
  runtime: string;
  nodejs: NodejsProperties;
}

/** How this project deploys its functions: the same object infra/functions.ts applies. */
export const projectBuild: DeployBuild = {
  label: "",
  runtime: functionDeployDefaults.runtime,
  nodejs: functionDeployDefaults.nodejs,
};

/** What a function gets from SST 4.17 when it sets neither `runtime` nor `nodejs`. */
export const sstDefaultBuild: DeployBuild = {
  label: "SST defaults",
  runtime: "nodejs24.x",
  nodejs: {},
};

const targets: Record<string, string> = {
  "nodejs24.x": "es2024",
  "nodejs22.x": "es2023",
  "nodejs20.x": "es2023",
};

const replicated = new Set<string>(["minify"]);

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
  build: DeployBuild,
  projectRoot: string,
): BuildOptions & { metafile: true } {
  // A bundle built with an option the bench ignores would not be the deployed one.
  const unknown = Object.keys(build.nodejs).filter((key) => !replicated.has(key));
  if (unknown.length) {
    throw new Error(`The bench does not replicate nodejs.${unknown.join(", nodejs.")}.`);
  }
  const target = targets[build.runtime];
  if (!target) throw new Error(`No esbuild target known for runtime ${build.runtime}.`);
  const minify = build.nodejs.minify === true;
  return {
    // The CLI runs from the project root; unminified output names each input
    // relative to it in a comment, so the working directory changes the bytes.
    absWorkingDir: projectRoot,
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
    target,
    mainFields: ["module", "main"],
    banner: { js: SST_BANNER },
    minifyWhitespace: minify,
    minifySyntax: minify,
    minifyIdentifiers: minify,
    logLevel: "silent",
  };
}
