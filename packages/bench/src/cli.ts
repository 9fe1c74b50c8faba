import { readFileSync } from "node:fs";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname } from "node:path";
import { limits } from "./budgets";
import { projectBuild, SST_ESBUILD_VERSION, sstDefaultBuild } from "./build-options";
import {
  type BundleResult,
  buildAllBundles,
  buildBundle,
  putItemBaselineTarget,
  triggerTarget,
} from "./bundles";
import { costs } from "./cost";
import { recordedResultsFile, repoRoot, resultsFile } from "./paths";
import { poolScale } from "./pool-scale";
import { scaleBudgets, scaleReport } from "./pool-scale-report";
import { localStackReady } from "./ready";
import { classifierBench, reconcileBench } from "./reconcile";
import { reloadAfterRoute } from "./reload";
import {
  apiTable,
  budgetsTable,
  costTable,
  localStackTable,
  reconcileTable,
  srpTable,
  type Table,
  warmTable,
} from "./report-tables";
import { srpPoolSide } from "./srp";
import { apiLatency, fillPool, flows, startBenchStack } from "./stack";
import { kB, ratio, spread } from "./stats";
import { coldStarts, triggerWarm, withDynamoDB } from "./trigger";
import { passes, runWebOnly, webBench, webBudgets, webTables } from "./web-section";

const quick = process.argv.includes("--quick");
const save = process.argv.includes("--save");
const only = process.argv.find(
  (arg, i, all) => all[i - 1] === "--only" || arg.startsWith("--only="),
);
const setting = (name: string, full: number, fast: number) =>
  Number(process.env[`BENCH_${name}`] ?? (quick ? fast : full));
const settings = {
  coldRuns: setting("COLD_RUNS", 20, 5),
  warmIterations: setting("WARM_ITERATIONS", 1000, 200),
  apiIterations: setting("API_ITERATIONS", 300, 60),
  flows: setting("FLOWS", 12, 4),
  poolUsers: setting("POOL_USERS", 1000, 100),
  readyRuns: setting("READY_RUNS", 3, 1),
  srpIterations: setting("SRP_ITERATIONS", 300, 60),
  classifyUsers: setting("CLASSIFY_USERS", 1_000_000, 100_000),
  scaleSamples: setting("SCALE_SAMPLES", 30, 10),
  scaleSizes: (process.env.BENCH_SCALE_SIZES ?? (quick ? "100,1000" : "1000,10000"))
    .split(",")
    .map(Number),
  lighthouseRuns: setting("LIGHTHOUSE_RUNS", 7, 3),
};

const out = process.stdout.write.bind(process.stdout);
const say = (line = "") => out(`${line}\n`);
const step = (label: string) => say(`… ${label}`);

/**
 * The local stack's functions run in worker threads whose console output
 * lands on this process's stdout; Amplify warns about the custom endpoint.
 * Neither belongs in the report.
 */
async function quietly<T>(run: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  const warn = console.warn;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  console.warn = () => {};
  try {
    return await run();
  } finally {
    process.stdout.write = write;
    console.warn = warn;
  }
}

function machine() {
  const model = /model name\s*:\s*(.+)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1];
  return {
    cpu: model ?? cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

const startedAt = performance.now();
const loadBefore = loadavg();
say(`pnpm bench — ${JSON.stringify(settings)}${quick ? " (quick)" : ""}`);

if (only?.replace("--only=", "") === "web") {
  await runWebOnly({
    lighthouseRuns: settings.lighthouseRuns,
    save,
    resultsFile,
    recordedResultsFile,
    machine: machine(),
    say,
    step,
    table,
  });
  process.exit(0);
}

step(
  `bundling every function as \`sst deploy\` does with this project's options ${JSON.stringify(projectBuild.nodejs)} (esbuild ${SST_ESBUILD_VERSION})`,
);
const bundles = await buildAllBundles();
const byName = (name: string) => bundles.find((b) => b.name === name) as BundleResult;
const trigger = byName(triggerTarget.name);
const baseline = byName(putItemBaselineTarget.name);
const empty = byName("baseline empty");
const bare = byName("bare calls");
// What a plain template ships (no `nodejs` options), and this trigger before minify.
const sstDefaults = {
  baseline: await buildBundle(putItemBaselineTarget, sstDefaultBuild),
  trigger: await buildBundle(triggerTarget, sstDefaultBuild),
};

step(`trigger cold starts: ${settings.coldRuns} rounds of fresh processes`);
const { cold, warm } = await withDynamoDB(async (env) => {
  const cold = await coldStarts(
    [
      { name: "trigger", bundle: trigger },
      { name: "baseline put-item", bundle: baseline },
      { name: "empty handler", bundle: empty },
      { name: "baseline put-item (SST defaults)", bundle: sstDefaults.baseline },
      { name: "trigger (SST defaults)", bundle: sstDefaults.trigger },
    ],
    settings.coldRuns,
    env,
  );
  step(`trigger warm: ${settings.warmIterations} interleaved rounds`);
  const warm = await triggerWarm(trigger, baseline, bare, settings.warmIterations, env);
  return { cold, warm };
});

step("API and sign-up flows against the local stack (in-process, free ports)");
const stackResults = await quietly(async () => {
  const h = await startBenchStack();
  try {
    const api = await apiLatency(
      h,
      { getMe: byName("GET /me"), patchMe: byName("PATCH /me"), bare },
      settings.apiIterations,
      Math.min(settings.coldRuns, 10),
    );
    const usersBefore = 1;
    const empty = await flows(h, settings.flows, usersBefore);
    const filled = usersBefore + settings.flows;
    const fillStarted = performance.now();
    await fillPool(h, filled, settings.poolUsers);
    const fillSeconds = (performance.now() - fillStarted) / 1000;
    const full = await flows(h, settings.flows, settings.poolUsers);
    const reconcile = await reconcileBench(h);
    return { api, flows: { empty, full, fillSeconds }, reconcile };
  } finally {
    await h.stop();
  }
});

step(
  `the user pool at 0, ${settings.scaleSizes.map((n) => n.toLocaleString("en-US")).join(" and ")} users (public API only)`,
);
const scale = await quietly(async () => {
  const [h, empty] = await Promise.all([startBenchStack(), startBenchStack()]);
  try {
    await Promise.all([h.stack.functionsBuilt(), empty.stack.functionsBuilt()]);
    return await poolScale(h, empty, settings.scaleSizes, settings.scaleSamples);
  } finally {
    await Promise.all([h.stop(), empty.stop()]);
  }
});

step(`SRP sign-in, the pool's side: ${settings.srpIterations} sign-ins`);
const srp = srpPoolSide(settings.srpIterations);
step(
  `users:reconcile classification over ${settings.classifyUsers.toLocaleString("en-US")} synthetic users`,
);
const classifier = classifierBench(settings.classifyUsers);

const web = await webBench(settings.lighthouseRuns, step);

step(`local stack ready: ${settings.readyRuns} × (floor, full, backend only)`);
const ready = await localStackReady(settings.readyRuns);
step(`local stack: a route added to sst.config.ts while it runs, ${settings.readyRuns} times`);
const reload = await reloadAfterRoute(settings.readyRuns);

const coldOf = (name: string) => cold.find((c) => c.name === name) as (typeof cold)[number];
const triggerCold = coldOf("trigger");
const baselineCold = coldOf("baseline put-item");
const cost = costs({
  triggerColdMs: triggerCold.coldMs.median,
  triggerWarmMs: warm.triggerMs.median,
  readColdMs: stackResults.api.getMeCold?.coldMs.median ?? Number.NaN,
  readWarmMs: stackResults.api.handler.getMe.median,
});

const budgets = [
  {
    budget: `trigger cold start ≤ ${limits.triggerColdStartVsBaseline}× baseline, both as deployed`,
    achieved: triggerCold.coldMs.median / baselineCold.coldMs.median,
    limit: limits.triggerColdStartVsBaseline,
    unit: "×",
    deterministic: false,
  },
  {
    budget: `trigger bundle ≤ ${limits.triggerBundleVsBaseline}× baseline, both as deployed`,
    achieved: trigger.bytes / baseline.bytes,
    limit: limits.triggerBundleVsBaseline,
    unit: "×",
    deterministic: true,
  },
  {
    budget: `trigger bundle ≤ ${limits.triggerBundleVsSstDefaultBaseline}× baseline built with SST's defaults`,
    achieved: trigger.bytes / sstDefaults.baseline.bytes,
    limit: limits.triggerBundleVsSstDefaultBaseline,
    unit: "×",
    deterministic: true,
  },
  {
    budget: `handler overhead beyond DynamoDB ≤ ${limits.handlerOverheadMs} ms p50`,
    achieved: warm.overheadMs.median,
    limit: limits.handlerOverheadMs,
    unit: "ms",
    deterministic: false,
  },
  ...webBudgets(web),
  {
    budget: `local stack ready ≤ ${limits.localStackReadySeconds} s`,
    achieved: ready.full.median / 1000,
    limit: limits.localStackReadySeconds,
    unit: "s",
    deterministic: false,
  },
  ...scaleBudgets(scale),
  {
    budget: "local SRP sign-in, pool side ≤ 20 ms p50",
    achieved: srp.first.totalMs.median,
    limit: 20,
    unit: "ms",
    deterministic: false,
  },
].map((b) => ({ ...b, pass: passes(b) }));

const results = {
  date: new Date().toISOString(),
  machine: { ...machine(), loadAverageBefore: loadBefore, loadAverageAfter: loadavg() },
  settings,
  esbuild: SST_ESBUILD_VERSION,
  deployOptions: { project: projectBuild, sstDefaults: sstDefaultBuild },
  bundles: [...bundles, sstDefaults.trigger, sstDefaults.baseline].map(
    ({ file: _file, topInputs, ...rest }) => ({
      ...rest,
      // Relative, so the record reads the same from any checkout.
      handler: rest.handler.replace(repoRoot, ""),
      topInputs: topInputs.slice(0, 10),
    }),
  ),
  cold,
  warm,
  api: stackResults.api,
  flows: stackResults.flows,
  srp,
  poolScale: scale,
  reconcile: { ...stackResults.reconcile, classifier },
  web: { app: web.app, authenticator: web.authenticator },
  lighthouse: web.lighthouse,
  ready,
  reload,
  cost,
  budgets,
  durationSeconds: 0,
};
results.durationSeconds = Math.round((performance.now() - startedAt) / 100) / 10;
await mkdir(dirname(resultsFile), { recursive: true });
await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
if (save) await copyFile(resultsFile, recordedResultsFile);

function table(title: string, header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  say(`\n${title}`);
  say(line(header));
  say(line(widths.map((w) => "-".repeat(w))));
  for (const row of rows) say(line(row));
}
const print = ({ title, header, rows }: Table) => table(title, header, rows);

const m = results.machine;
say(
  `\nMachine: ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB, Node ${m.node}; load average ${loadBefore.map((l) => l.toFixed(1)).join(" ")} → ${m.loadAverageAfter.map((l) => l.toFixed(1)).join(" ")}`,
);
table(
  "1. Cold start: fresh process, import + first invocation against dynalite (median (p25–p75))",
  [
    "handler",
    "import",
    "first invocation",
    "cold start",
    "CPU",
    "vs baseline",
    "process incl. Node boot",
  ],
  cold.map((c) => [
    c.name,
    spread(c.importMs),
    spread(c.firstInvokeMs),
    spread(c.coldMs),
    spread(c.cpuMs),
    ratio(c.coldMs.median, baselineCold.coldMs.median),
    spread(c.processMs),
  ]),
);
print(warmTable(warm));
print(apiTable(stackResults.api));
table(
  `4a. Function bundles (as deployed: nodejs ${JSON.stringify(projectBuild.nodejs)}, SDK bundled; "SST defaults": no nodejs options, unminified)`,
  ["bundle", "raw", "gzip", "vs baseline", "vs baseline (SST defaults)", "largest inputs"],
  [...bundles, sstDefaults.trigger, sstDefaults.baseline].map((b) => [
    b.name,
    kB(b.bytes),
    kB(b.gzipBytes),
    ratio(b.bytes, baseline.bytes),
    ratio(b.bytes, sstDefaults.baseline.bytes),
    b.topInputs
      .slice(0, 4)
      .map((i) => `${i.input} ${kB(i.bytes)}`)
      .join(", "),
  ]),
);
say(webTables(web, table));
print(localStackTable(stackResults.flows, ready, reload));
print(srpTable(srp));
const scaleTable = scaleReport(scale, settings.scaleSamples);
table(scaleTable.title, scaleTable.header, scaleTable.rows);
say(scaleTable.note);
print(reconcileTable(stackResults.reconcile, classifier));
print(costTable(cost));
print(budgetsTable(budgets));
say(
  `\nResults: ${resultsFile}${save ? `, saved to ${recordedResultsFile}` : " (--save also records them in the committed results/recorded.json)"} (${results.durationSeconds} s)`,
);
