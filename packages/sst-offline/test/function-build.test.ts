import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  esbuild,
  functionBuildOptions,
  resolveHandler,
  SST_ESBUILD_VERSION,
  targetFor,
} from "../src/function-build";

const root = new URL("../../..", import.meta.url).pathname;

describe("one way to build a function, as SST 4.17's CLI builds it", () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), "function-build-"));
  });
  afterAll(() => rm(out, { recursive: true, force: true }));

  it("uses the esbuild release the CLI embeds", () => {
    expect(esbuild.version).toBe(SST_ESBUILD_VERSION);
  });

  it("targets what each Node.js runtime implies, and refuses a runtime it can't build", () => {
    expect(targetFor("nodejs24.x")).toBe("es2024");
    expect(targetFor("nodejs22.x")).toBe("es2023");
    expect(targetFor("nodejs20.x")).toBe("es2023");
    expect(() => targetFor("python3.13")).toThrow(/not a Node\.js runtime/);
  });

  it("finds a handler's file and export as SST does", () => {
    const handler = "packages/functions/src/cognito/post-confirmation.handler";
    expect(resolveHandler(root, handler)).toEqual({
      file: join(root, "packages/functions/src/cognito/post-confirmation.ts"),
      exportName: "handler",
    });
    expect(resolveHandler(root, "packages/functions/src/missing.handler")).toBeUndefined();
    expect(resolveHandler(root, "no-export")).toBeUndefined();
  });

  it("bundles a handler as an ESM module with the require shim, minified only for a deploy", async () => {
    const { file } = resolveHandler(
      root,
      "packages/functions/src/cognito/post-confirmation.handler",
    ) as { file: string };
    const build = async (dev: boolean) => {
      const outfile = join(out, dev ? "dev.mjs" : "deploy.mjs");
      const options = functionBuildOptions({
        file,
        outfile,
        runtime: "nodejs24.x",
        dev,
        properties: { minify: true },
        root,
      });
      expect(options.target).toBe("es2024");
      const result = await esbuild.build(options);
      return { code: await readFile(outfile, "utf8"), inputs: Object.keys(result.metafile.inputs) };
    };
    const deploy = await build(false);
    const dev = await build(true);
    expect(deploy.code).toContain("topLevelCreateRequire");
    expect(deploy.inputs).toContain(relative(root, file));
    // sst dev builds unminified; a deploy with nodejs.minify does not keep the source layout.
    expect(dev.code.length).toBeGreaterThan(deploy.code.length);
    expect(dev.code).toMatch(/^export \{/m);
  });
});
