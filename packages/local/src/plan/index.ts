/**
 * Turns one offline evaluation of sst.config.ts (`sst dev` mode, local stage) into what the
 * local stack serves, and names whatever it can't: every recorded resource is served, part of
 * SST's machinery, listed as having no local effect, or refused.
 */
import type { CognitoTrigger, LocalApp, SiteSpec } from "../spec";
import { planFunctions } from "./functions";
import { planHttpApis } from "./http-apis";
import { classifyOthers } from "./kinds";
import { type Evaluation, Recorded, type Refusal, record } from "./recorded";
import { planTables } from "./tables";
import { planUserPools } from "./user-pools";

export type { Refusal } from "./recorded";

export interface Plan {
  app: LocalApp;
  refusals: Refusal[];
}

function planSites(recorded: Recorded): SiteSpec[] {
  const sites: SiteSpec[] = [];
  for (const resource of recorded.evaluation.resources) {
    const dev = record(resource.outputs?._dev);
    if (typeof dev.command !== "string" || typeof dev.directory !== "string") continue;
    const url = record(resource.outputs?._metadata).url;
    sites.push({
      name: resource.name,
      origin: recorded.origin(resource),
      directory: dev.directory,
      command: dev.command,
      ...(typeof url === "string" && url.startsWith("http") ? { url } : {}),
      environment: Object.fromEntries(
        Object.entries(record(dev.environment)).map(([name, value]) => [name, String(value)]),
      ),
    });
  }
  return sites;
}

/** What `run()` returned, without SST's own `_…` entries. */
function outputsOf(evaluation: Evaluation) {
  return Object.fromEntries(
    Object.entries(evaluation.outputs).filter(([key]) => !key.startsWith("_")),
  );
}

export function planLocalApp(
  evaluation: Evaluation,
  options: { supportedTriggers: ReadonlySet<CognitoTrigger> },
): Plan {
  const recorded = new Recorded(evaluation);
  const refusals: Refusal[] = [];
  const functions = planFunctions(recorded, refusals);
  const app: LocalApp = {
    app: { name: evaluation.app.name, stage: evaluation.app.stage },
    region: evaluation.region,
    accountId: evaluation.accountId,
    functions,
    tables: planTables(recorded, refusals),
    userPools: planUserPools(recorded, functions, options.supportedTriggers, refusals),
    httpApis: planHttpApis(recorded, functions, refusals),
    sites: planSites(recorded),
    outputs: outputsOf(evaluation),
    ignored: classifyOthers(recorded, functions, refusals),
  };
  return { app, refusals };
}

/** The start-time message for what can't be served: one line per component and reason. */
export function describeRefusals(refusals: readonly Refusal[]): string {
  const grouped = new Map<string, { refusal: Refusal; types: Set<string> }>();
  for (const refusal of refusals) {
    const key = `${refusal.origin.component}\0${refusal.origin.name}\0${refusal.reason}`;
    const group = grouped.get(key) ?? { refusal, types: new Set<string>() };
    if (refusal.name !== refusal.origin.name || refusal.type !== refusal.origin.component) {
      group.types.add(refusal.type);
    }
    grouped.set(key, group);
  }
  const lines = [...grouped.values()].map(({ refusal, types }) => {
    const made = types.size ? ` (it makes ${[...types].join(", ")})` : "";
    return `  - ${refusal.origin.name}, ${refusal.origin.component}${made}: ${refusal.reason}.`;
  });
  return [
    `The local stack can't serve ${grouped.size === 1 ? "this" : "these"} from sst.config.ts:`,
    ...lines,
  ].join("\n");
}

/** The start-time notice for what has no local effect, grouped by reason. */
export function describeIgnored(app: LocalApp): string[] {
  const byReason = new Map<string, string[]>();
  for (const item of app.ignored) {
    const names = byReason.get(item.reason) ?? [];
    names.push(item.origin.name === item.name ? item.name : `${item.origin.name}/${item.name}`);
    byReason.set(item.reason, names);
  }
  return [...byReason].map(([reason, names]) => `${[...new Set(names)].join(", ")}: ${reason}`);
}

/** Every string in `value` with each deployed value replaced by its local counterpart. */
export function localize<T>(value: T, replacements: ReadonlyMap<string, string>): T {
  if (replacements.size === 0) return value;
  const from = [...replacements.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(
    from.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"),
    "g",
  );
  const visit = (item: unknown): unknown => {
    if (typeof item === "string")
      return item.replace(pattern, (match) => replacements.get(match) ?? match);
    if (Array.isArray(item)) return item.map(visit);
    if (item && typeof item === "object") {
      return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, visit(inner)]));
    }
    return item;
  };
  return visit(value) as T;
}
