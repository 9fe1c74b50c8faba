import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { limits } from "../src/budgets";
import { projectBuild, sstDefaultBuild } from "../src/build-options";
import {
  type BundleResult,
  buildBundle,
  putItemBaselineTarget,
  triggerTarget,
} from "../src/bundles";
import { type AppDownload, buildAuthenticatorBaseline, buildWebApp } from "../src/web";

/** Bundle sizes are deterministic, so their budgets are enforced here; timings are only reported by `pnpm bench`. */
const outDir = await mkdtemp(join(tmpdir(), "bench-budgets-"));
afterAll(() => rm(outDir, { recursive: true, force: true }));

const largestInputs = (bundle: BundleResult) =>
  `largest inputs: ${bundle.topInputs
    .slice(0, 12)
    .map((i) => `${i.input} ${i.bytes}`)
    .join(", ")}`;

describe("function bundles, built as `sst deploy` builds them", () => {
  let trigger: BundleResult;
  let baseline: BundleResult;
  let sstDefaultBaseline: BundleResult;

  beforeAll(async () => {
    trigger = await buildBundle(triggerTarget, projectBuild, outDir);
    baseline = await buildBundle(putItemBaselineTarget, projectBuild, outDir);
    sstDefaultBaseline = await buildBundle(putItemBaselineTarget, sstDefaultBuild, outDir);
  });

  it(`keeps the trigger within ${limits.triggerBundleVsBaseline}× the minimal PutItem handler built the same way`, () => {
    expect(trigger.bytes / baseline.bytes, largestInputs(trigger)).toBeLessThanOrEqual(
      limits.triggerBundleVsBaseline,
    );
  });

  it(`ships the trigger at ≤ ${limits.triggerBundleVsSstDefaultBaseline}× a minimal PutItem handler built with SST's defaults`, () => {
    expect(trigger.bytes / sstDefaultBaseline.bytes, largestInputs(trigger)).toBeLessThanOrEqual(
      limits.triggerBundleVsSstDefaultBaseline,
    );
  });
});

describe("web app first-screen download (index.html and the scripts it loads)", () => {
  let app: AppDownload;
  beforeAll(async () => {
    app = await buildWebApp(join(outDir, "web"));
  });

  it(`stays within ${limits.webInitialDownloadGzipKB} kB gzip and ${limits.webInitialDownloadVsAuthenticator}× the Authenticator baseline`, async () => {
    const authenticator = await buildAuthenticatorBaseline();
    const files = app.files.map((f) => `${f.file} ${f.gzipBytes}`).join(", ");
    expect(app.gzipBytes, files).toBeLessThanOrEqual(limits.webInitialDownloadGzipKB * 1000);
    expect(app.gzipBytes / authenticator.gzipBytes, files).toBeLessThanOrEqual(
      limits.webInitialDownloadVsAuthenticator,
    );
  });

  it("is the sign-in screen, prerendered, without Amplify (it loads on first use)", async () => {
    const html = await readFile(join(app.dir, "index.html"), "utf8");
    expect(html).toMatch(/<h1[^>]*>Sign in<\/h1>/);
    expect(html).toContain('data-screen="sign-in"');
    const withAmplify: string[] = [];
    for (const { file } of app.files) {
      const text = await readFile(join(app.dir, file), "utf8");
      if (/RespondToAuthChallenge|aws-amplify/.test(text)) withAmplify.push(file);
    }
    expect(withAmplify).toEqual([]);
    const assets = await readdir(join(app.dir, "assets"));
    expect(assets.filter((f) => f.startsWith("amplify-auth-"))).toHaveLength(1);
  });
});
