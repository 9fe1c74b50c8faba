import { existsSync } from "node:fs";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { startSiteServerProcess } from "./site-server";
import { type Summary, summarize } from "./stats";

/** The floor: a static page with one heading (and the same icon), served the same way. */
const FLOOR_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Floor</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
  </head>
  <body>
    <h1>User Profile</h1>
  </body>
</html>
`;

/** Headless, offline and as root (shared/notes/machine.md); chrome-launcher adds a fresh profile. */
const CHROME_FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface PageFigures {
  url: string;
  fcpMs: Summary;
  lcpMs: Summary;
  speedIndexMs: Summary;
  tbtMs: Summary;
  cls: Summary;
  /** Bytes over the wire for the whole load, compressed, as Lighthouse counts them. */
  transferBytes: Summary;
  /** Category scores 0–100: the lowest of the runs, the figure a budget must hold. */
  scores: { performance: number; accessibility: number; bestPractices: number };
  /** Audits that scored below 1 in any run, with their titles. */
  failedAudits: string[];
}

export interface LighthouseFigures {
  lighthouse: string;
  chromium: string;
  preset: "mobile (Lighthouse default: simulated throttling, Moto G Power)";
  runs: number;
  app: PageFigures;
  floor: PageFigures;
  /** Medians of the app over the floor, same run. */
  ratio: { fcp: number; lcp: number };
}

interface Run {
  fcp: number;
  lcp: number;
  si: number;
  tbt: number;
  cls: number;
  bytes: number;
  scores: { performance: number; accessibility: number; bestPractices: number };
  failed: string[];
}

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  if (!existsSync(path)) {
    throw new Error(`No Chromium at ${path}: install it or set CHROMIUM_PATH.`);
  }
  return path;
}

/**
 * Lighthouse's mobile preset on the production build and on the floor page,
 * both served as deployed (compressed, with the site's headers), side by side:
 * the two alternate within each round, `runs` rounds, medians.
 */
export async function lighthouseSideBySide(options: {
  appDir: string;
  scratchDir: string;
  headers: Readonly<Record<string, string>>;
  runs: number;
}): Promise<LighthouseFigures> {
  const floorDir = join(options.scratchDir, "floor");
  await mkdir(floorDir, { recursive: true });
  await writeFile(join(floorDir, "index.html"), FLOOR_PAGE);
  // The app's icon, so neither page asks for a missing /favicon.ico.
  await copyFile(join(options.appDir, "favicon.svg"), join(floorDir, "favicon.svg"));
  const app = await startSiteServerProcess(options.appDir, options.headers);
  const floor = await startSiteServerProcess(floorDir, options.headers);
  const chrome = await chromeLauncher.launch({
    chromePath: chromiumPath(),
    chromeFlags: CHROME_FLAGS,
    logLevel: "silent",
  });
  const runs: { app: Run[]; floor: Run[] } = { app: [], floor: [] };
  let versions = { lighthouse: "", chromium: "" };
  try {
    for (let round = 0; round < options.runs; round++) {
      const order = round % 2 === 0 ? (["app", "floor"] as const) : (["floor", "app"] as const);
      for (const page of order) {
        const { run, lighthouseVersion, userAgent } = await audit(
          `${page === "app" ? app.url : floor.url}/`,
          chrome.port,
        );
        runs[page].push(run);
        versions = {
          lighthouse: lighthouseVersion,
          chromium: /(?:HeadlessChrome|Chrome)\/([\d.]+)/.exec(userAgent)?.[1] ?? userAgent,
        };
      }
    }
  } finally {
    chrome.kill();
    await Promise.all([app.close(), floor.close()]);
  }
  const appFigures = figures(`${app.url}/`, runs.app);
  const floorFigures = figures(`${floor.url}/`, runs.floor);
  return {
    ...versions,
    preset: "mobile (Lighthouse default: simulated throttling, Moto G Power)",
    runs: options.runs,
    app: appFigures,
    floor: floorFigures,
    ratio: {
      fcp: appFigures.fcpMs.median / floorFigures.fcpMs.median,
      lcp: appFigures.lcpMs.median / floorFigures.lcpMs.median,
    },
  };
}

/** One Lighthouse run; a run whose trace Lighthouse could not record (it happens on a busy machine) is made again, twice at most. */
async function audit(url: string, port: number, attempt = 1): Promise<AuditResult> {
  const result = await lighthouse(url, {
    port,
    output: "json",
    logLevel: "error",
    onlyCategories: ["performance", "accessibility", "best-practices"],
  });
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}.`);
  const { lhr } = result;
  if (lhr.runtimeError) {
    if (attempt < 3) return audit(url, port, attempt + 1);
    throw new Error(`Lighthouse: ${lhr.runtimeError.message}`);
  }
  const value = (id: string) => {
    const numeric = lhr.audits[id]?.numericValue;
    if (typeof numeric !== "number") throw new Error(`Lighthouse gave no ${id} for ${url}.`);
    return numeric;
  };
  const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
  const scored = new Set(
    Object.values(lhr.categories).flatMap((c) =>
      c.auditRefs.filter((ref) => ref.weight > 0).map((ref) => ref.id),
    ),
  );
  const run: Run = {
    fcp: value("first-contentful-paint"),
    lcp: value("largest-contentful-paint"),
    si: value("speed-index"),
    tbt: value("total-blocking-time"),
    cls: value("cumulative-layout-shift"),
    bytes: value("total-byte-weight"),
    scores: {
      performance: score("performance"),
      accessibility: score("accessibility"),
      bestPractices: score("best-practices"),
    },
    failed: Object.values(lhr.audits)
      .filter((a) => scored.has(a.id) && a.score !== null && a.score < 1)
      .map((a) => `${a.id}: ${a.title}${a.displayValue ? ` (${a.displayValue})` : ""}`),
  };
  return {
    run,
    lighthouseVersion: lhr.lighthouseVersion,
    userAgent: lhr.environment.hostUserAgent,
  };
}

interface AuditResult {
  run: Run;
  lighthouseVersion: string;
  userAgent: string;
}

function figures(url: string, runs: Run[]): PageFigures {
  const of = (pick: (run: Run) => number) => summarize(runs.map(pick));
  const lowest = (pick: (run: Run) => number) => Math.min(...runs.map(pick));
  return {
    url,
    fcpMs: of((r) => r.fcp),
    lcpMs: of((r) => r.lcp),
    speedIndexMs: of((r) => r.si),
    tbtMs: of((r) => r.tbt),
    cls: of((r) => r.cls),
    transferBytes: of((r) => r.bytes),
    scores: {
      performance: lowest((r) => r.scores.performance),
      accessibility: lowest((r) => r.scores.accessibility),
      bestPractices: lowest((r) => r.scores.bestPractices),
    },
    failedAudits: [...new Set(runs.flatMap((r) => r.failed))].sort(),
  };
}
