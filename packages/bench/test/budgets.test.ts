import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { baselineTargets, buildBundle, functionTargets } from "../src/bundles";
import { buildAuthenticatorBaseline, buildWebApp } from "../src/web";

/** Bundle sizes are deterministic, so their budgets are enforced here; timings are only reported by `pnpm bench`. */
const outDir = await mkdtemp(join(tmpdir(), "bench-budgets-"));
afterAll(() => rm(outDir, { recursive: true, force: true }));

describe("function bundles, built as `sst deploy` builds them", () => {
  it("keeps the trigger within 1.05× the minimal PutItem handler", async () => {
    const trigger = await buildBundle(
      functionTargets[0] as (typeof functionTargets)[number],
      outDir,
    );
    const baseline = await buildBundle(
      baselineTargets[0] as (typeof baselineTargets)[number],
      outDir,
    );
    const top = trigger.topInputs.slice(0, 12).map((i) => `${i.input} ${i.bytes}`);
    expect(trigger.bytes / baseline.bytes, `largest inputs: ${top.join(", ")}`).toBeLessThanOrEqual(
      1.05,
    );
  });
});

describe("web app initial download (JS + CSS loaded by index.html)", () => {
  it("stays within 115 kB gzip and half of the Authenticator baseline", async () => {
    const app = await buildWebApp();
    const authenticator = await buildAuthenticatorBaseline();
    const files = app.files.map((f) => `${f.file} ${f.gzipBytes}`).join(", ");
    expect(app.gzipBytes, files).toBeLessThanOrEqual(115_000);
    expect(app.gzipBytes / authenticator.gzipBytes, files).toBeLessThanOrEqual(0.5);
  });
});
