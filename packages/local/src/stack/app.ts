/** The app the stack serves: sst.config.ts evaluated for the local stage, then planned. */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type Evaluation, evaluateCached } from "@userprofile/sst-offline/evaluate";
import { SUPPORTED_TRIGGERS, unsupportedFeatures } from "../cognito/index";
import type { LocalConfig } from "../config";
import { LOCAL_ACCOUNT_ID } from "../iam";
import { describeRefusals, planLocalApp, type Refusal } from "../plan/index";
import type { LocalApp } from "../spec";

/** sst.config.ts declares something the local stack can't serve; the message names each. */
export class UnservableAppError extends Error {
  constructor(readonly refusals: Refusal[]) {
    super(describeRefusals(refusals));
    this.name = "UnservableAppError";
  }
}

/** sst.config.ts itself failed: a syntax or type error, or a throw in `app()`/`run()`. */
export class EvaluationError extends Error {
  constructor(cause: unknown) {
    super(`sst.config.ts could not be evaluated:\n${(cause as Error).message ?? String(cause)}`, {
      cause,
    });
    this.name = "EvaluationError";
  }
}

export interface LoadedApp {
  app: LocalApp;
  evaluation: Evaluation;
  /** Whether the evaluation was reused from the cache. */
  cached: boolean;
  milliseconds: number;
}

export async function loadApp(config: LocalConfig): Promise<LoadedApp> {
  if (!existsSync(join(config.root, "sst.config.ts"))) {
    throw new EvaluationError(new Error(`There is no sst.config.ts in ${config.root}.`));
  }
  const startedAt = performance.now();
  const options = {
    root: config.root,
    stage: config.stage,
    dev: true,
    region: config.region,
    accountId: LOCAL_ACCOUNT_ID,
  };
  // One cache file per set of options: stacks on other regions or stages don't evict it.
  const key = createHash("sha256").update(JSON.stringify(options)).digest("hex").slice(0, 12);
  let result: Awaited<ReturnType<typeof evaluateCached>>;
  try {
    result = await evaluateCached({
      ...options,
      cacheFile: join(config.cacheDir, `evaluation-${key}.json`),
    });
  } catch (error) {
    throw new EvaluationError(error);
  }
  const plan = planLocalApp(result.evaluation, {
    supportedTriggers: new Set(SUPPORTED_TRIGGERS),
  });
  // The planner already refused the triggers the pool doesn't run; these are its other gaps.
  for (const pool of plan.app.userPools) {
    for (const reason of unsupportedFeatures(pool)) {
      plan.refusals.push({
        type: "aws:cognito/userPool:UserPool",
        name: pool.origin.name,
        origin: pool.origin,
        reason: reason.slice(reason.indexOf(": ") + 2),
      });
    }
  }
  if (plan.refusals.length > 0) throw new UnservableAppError(plan.refusals);
  return {
    app: plan.app,
    evaluation: result.evaluation,
    cached: result.cached,
    milliseconds: performance.now() - startedAt,
  };
}
