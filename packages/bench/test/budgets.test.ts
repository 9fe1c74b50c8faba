import { mkdtemp, rm } from "node:fs/promises";
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
import { buildAuthenticatorBaseline, buildWebApp } from "../src/web";

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

describe("web app initial download (JS + CSS loaded by index.html)", () => {
  it(`stays within ${limits.webInitialDownloadGzipKB} kB gzip and ${limits.webInitialDownloadVsAuthenticator}× the Authenticator baseline`, async () => {
    const app = await buildWebApp();
    const authenticator = await buildAuthenticatorBaseline();
    const files = app.files.map((f) => `${f.file} ${f.gzipBytes}`).join(", ");
    expect(app.gzipBytes, files).toBeLessThanOrEqual(limits.webInitialDownloadGzipKB * 1000);
    expect(app.gzipBytes / authenticator.gzipBytes, files).toBeLessThanOrEqual(
      limits.webInitialDownloadVsAuthenticator,
    );
  });
});
