import { join } from "node:path";
import { securityHeaders } from "@userprofile/web/site/headers";
import { limits } from "./budgets";
import { type LighthouseFigures, lighthouseSideBySide } from "./lighthouse";
import { cacheDir } from "./paths";
import { kB, ms, ratio } from "./stats";
import {
  type AppDownload,
  benchWebEnvironment,
  buildAuthenticatorBaseline,
  buildWebApp,
} from "./web";

export interface WebResults {
  app: AppDownload;
  authenticator: AppDownload;
  lighthouse: LighthouseFigures;
}

export interface Budget {
  budget: string;
  achieved: number;
  limit: number;
  unit: string;
  deterministic: boolean;
  /** A floor rather than a ceiling (scores). */
  atLeast?: boolean;
}

/** The web app's download beside the Authenticator baseline, and Lighthouse beside the floor page. */
export async function webBench(
  lighthouseRuns: number,
  step: (label: string) => void,
): Promise<WebResults> {
  step("web app and the Authenticator baseline (vite build)");
  const app = await buildWebApp();
  const authenticator = await buildAuthenticatorBaseline();
  step(
    `Lighthouse (mobile) on the production build and a one-heading page: ${lighthouseRuns} rounds`,
  );
  const lighthouse = await lighthouseSideBySide({
    appDir: app.dir,
    scratchDir: join(cacheDir, "lighthouse"),
    headers: securityHeaders(benchWebEnvironment),
    runs: lighthouseRuns,
  });
  return { app, authenticator, lighthouse };
}

export function webBudgets({ app, authenticator, lighthouse }: WebResults): Budget[] {
  const scores = lighthouse.app.scores;
  return [
    {
      budget: `web first-screen download ≤ ${limits.webInitialDownloadGzipKB} kB gzip`,
      achieved: app.gzipBytes / 1000,
      limit: limits.webInitialDownloadGzipKB,
      unit: "kB",
      deterministic: true,
    },
    {
      budget: `web first-screen download ≤ ${limits.webInitialDownloadVsAuthenticator}× Authenticator baseline`,
      achieved: app.gzipBytes / authenticator.gzipBytes,
      limit: limits.webInitialDownloadVsAuthenticator,
      unit: "×",
      deterministic: true,
    },
    {
      budget: `web FCP ≤ ${limits.webPaintVsFloor}× the one-heading page's (Lighthouse mobile)`,
      achieved: lighthouse.ratio.fcp,
      limit: limits.webPaintVsFloor,
      unit: "×",
      deterministic: false,
    },
    {
      budget: `web LCP ≤ ${limits.webPaintVsFloor}× the one-heading page's (Lighthouse mobile)`,
      achieved: lighthouse.ratio.lcp,
      limit: limits.webPaintVsFloor,
      unit: "×",
      deterministic: false,
    },
    {
      budget: `web Lighthouse performance ≥ ${limits.webPerformanceScore} (lowest run)`,
      achieved: scores.performance,
      limit: limits.webPerformanceScore,
      unit: "",
      deterministic: false,
      atLeast: true,
    },
    {
      budget: `web Lighthouse accessibility ≥ ${limits.webAccessibilityScore}, best practices ≥ ${limits.webBestPracticesScore} (lowest run)`,
      achieved: Math.min(scores.accessibility, scores.bestPractices),
      limit: Math.min(limits.webAccessibilityScore, limits.webBestPracticesScore),
      unit: "",
      deterministic: false,
      atLeast: true,
    },
  ];
}

type Table = (title: string, header: string[], rows: string[][]) => void;

export function webTables({ app, authenticator, lighthouse }: WebResults, table: Table) {
  table(
    "4b. Web first-screen download (index.html with its inline CSS, and the scripts it loads)",
    ["app", "raw", "gzip", "vs baseline", "files"],
    [app, authenticator].map((d) => [
      d.name,
      kB(d.bytes),
      kB(d.gzipBytes),
      ratio(d.gzipBytes, authenticator.gzipBytes),
      d.files.map((f) => `${f.file} ${kB(f.gzipBytes)}`).join(", "),
    ]),
  );
  const { app: a, floor: f } = lighthouse;
  const spreadOf = (s: { median: number; p25: number; p75: number }) =>
    `${ms(s.median)} ms (${ms(s.p25)}–${ms(s.p75)})`;
  table(
    `4c. Lighthouse ${lighthouse.lighthouse}, ${lighthouse.preset}, Chromium ${lighthouse.chromium}, served as deployed (Brotli, the site's headers): ${lighthouse.runs} rounds, medians (p25–p75)`,
    ["page", "FCP", "LCP", "Speed Index", "TBT", "CLS", "transfer", "perf / a11y / best practices"],
    [a, f].map((page, i) => [
      i === 0 ? "packages/web production build" : "floor: one heading",
      spreadOf(page.fcpMs),
      spreadOf(page.lcpMs),
      spreadOf(page.speedIndexMs),
      spreadOf(page.tbtMs),
      page.cls.median.toFixed(3),
      kB(page.transferBytes.median),
      `${page.scores.performance} / ${page.scores.accessibility} / ${page.scores.bestPractices}`,
    ]),
  );
  const failed = [...a.failedAudits.map((audit) => `app: ${audit}`)];
  if (failed.length > 0)
    table(
      "4d. Lighthouse audits below 1 in some run",
      ["audit"],
      failed.map((x) => [x]),
    );
  return `app ÷ floor: FCP ${lighthouse.ratio.fcp.toFixed(2)}×, LCP ${lighthouse.ratio.lcp.toFixed(2)}×`;
}

/**
 * `pnpm bench --only web`: the web section alone. With `--save` it replaces
 * only the web figures and budgets in the committed record, noting the run
 * they come from, and keeps the rest of the record as it was.
 */
export async function runWebOnly(options: {
  lighthouseRuns: number;
  save: boolean;
  resultsFile: string;
  recordedResultsFile: string;
  machine: Record<string, unknown>;
  say: (line?: string) => void;
  step: (label: string) => void;
  table: Table;
}) {
  const { readFile, writeFile, mkdir } = await import("node:fs/promises");
  const { dirname } = await import("node:path");
  const { loadavg } = await import("node:os");
  const before = loadavg();
  const started = performance.now();
  const web = await webBench(options.lighthouseRuns, options.step);
  const budgets = webBudgets(web).map((b) => ({ ...b, pass: passes(b) }));
  const run = {
    date: new Date().toISOString(),
    machine: { ...options.machine, loadAverageBefore: before, loadAverageAfter: loadavg() },
    durationSeconds: Math.round((performance.now() - started) / 100) / 10,
  };
  const results = {
    only: "web",
    ...run,
    web: { app: web.app, authenticator: web.authenticator },
    lighthouse: web.lighthouse,
    budgets,
  };
  await mkdir(dirname(options.resultsFile), { recursive: true });
  await writeFile(options.resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  if (options.save) {
    const recorded = JSON.parse(await readFile(options.recordedResultsFile, "utf8")) as {
      budgets?: { budget: string }[];
    } & Record<string, unknown>;
    const kept = (recorded.budgets ?? []).filter((b) => !b.budget.startsWith("web "));
    await writeFile(
      options.recordedResultsFile,
      `${JSON.stringify({ ...recorded, web: results.web, lighthouse: web.lighthouse, webRun: run, budgets: [...kept, ...budgets] }, null, 2)}\n`,
    );
  }
  options.say(`\n${webTables(web, options.table)}`);
  options.table(
    "Budgets (web)",
    ["budget", "achieved", "status", "kind"],
    budgets.map((b) => [
      b.budget,
      `${b.achieved.toFixed(b.unit === "×" ? 3 : 2)} ${b.unit}`.trim(),
      b.pass ? "PASS" : "MISS",
      b.deterministic ? "enforced in tests" : "timing, reported",
    ]),
  );
  options.say(
    `\nResults: ${options.resultsFile}${options.save ? `; web figures saved to ${options.recordedResultsFile}` : ""} (${run.durationSeconds} s)`,
  );
}

export const passes = (b: Budget) => (b.atLeast ? b.achieved >= b.limit : b.achieved <= b.limit);
