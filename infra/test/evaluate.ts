/** This app's sst.config.ts evaluated offline, as `sst deploy` or `sst dev` would run it. */
import { fileURLToPath } from "node:url";
import {
  defaultAccountId,
  defaultRegion,
  type Evaluation,
  evaluate as evaluateProject,
} from "@userprofile/sst-offline/evaluate";
import { settingVariables } from "../deploy-settings";

export type { Evaluation, RecordedResource } from "@userprofile/sst-offline/evaluate";
export { assetBucket } from "@userprofile/sst-offline/evaluate";
export * from "@userprofile/sst-offline/resources";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
export const region = defaultRegion;
export const accountId = defaultAccountId;

export interface EvaluateOptions {
  stage: string;
  /** `sst dev` instead of `sst deploy`. */
  dev?: boolean;
  /**
   * Deploy settings (infra/deploy-settings.ts) as `sst deploy` would read them from the
   * environment. Ones not given here are unset, whatever the test runner's environment holds.
   */
  env?: Record<string, string>;
  /** Another checkout to evaluate (e.g. a copy with a built site); this repository by default. */
  root?: string;
  /** Sites replaced by a stand-in `dist/` (the mock runtime never builds a site). */
  sites?: string[];
}

export function evaluate(options: EvaluateOptions): Promise<Evaluation> {
  return evaluateProject({
    root: options.root ?? repoRoot,
    stage: options.stage,
    dev: options.dev ?? false,
    sites: options.sites ?? ["packages/web"],
    env: {
      ...Object.fromEntries(Object.values(settingVariables).map((name) => [name, undefined])),
      ...options.env,
    },
  });
}
