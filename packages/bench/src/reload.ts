import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ephemeralConfig, startLocalStack } from "@userprofile/local";
import { copyFixtureApp } from "@userprofile/local/testing";
import { type Summary, summarize } from "./stats";

/**
 * Live infra changes: a running local stack serving a copy of the local stack's fixture app
 * (two APIs, tables, a pool); each run adds a route to its sst.config.ts and times how long
 * until the route answers, sst.config.ts re-evaluated and the change applied.
 */
export async function reloadAfterRoute(runs: number): Promise<Summary> {
  const copy = await copyFixtureApp();
  const dataDir = await mkdtemp(join(tmpdir(), "bench-reload-"));
  const config = { ...ephemeralConfig(dataDir), root: copy.root, watchInfra: true };
  const stack = await startLocalStack(config);
  const samples: number[] = [];
  try {
    const openUrl = String(stack.outputs.openUrl);
    const file = join(copy.root, "sst.config.ts");
    const source = await readFile(file, "utf8");
    const marker = "    return {\n      openUrl";
    for (let i = 0; i < runs; i++) {
      const path = `/added-${i}`;
      const added = `    open.route("GET ${path}", "src/items.echo");\n`;
      const started = performance.now();
      await writeFile(file, source.replace(marker, `${added}${marker}`));
      for (;;) {
        const response = await fetch(`${openUrl}${path}`);
        const { routeKey } = (await response.json()) as { routeKey?: string };
        if (routeKey === `GET ${path}`) break;
        if (performance.now() - started > 60_000) throw new Error("The added route never answered");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      samples.push(performance.now() - started);
    }
  } finally {
    await stack.stop();
    await copy.remove();
    await rm(dataDir, { recursive: true, force: true });
  }
  return summarize(samples);
}
