import { runTasks } from "../concurrency/index";
import { PoolUsers } from "../pool-users/index";
import { Profile } from "../profile/index";
import type * as Reconcile from "./types";

export interface Outcome {
  /** Profiles written for confirmed users who had none. */
  created: number;
  /** Missing profiles that appeared meanwhile (the trigger or the API healed them): left as they are. */
  alreadyExisted: number;
  /** Users without an email, for whom no profile can be made. */
  missingWithoutEmail: number;
  updated: number;
  /** Profiles whose email changed (or that vanished) after the scan: left for the next run. */
  driftChangedMeanwhile: number;
  deleted: number;
  /** Orphans whose user does exist after all (created or listed late): kept. */
  orphansWithUser: number;
  /** Orphans that changed or vanished after the scan: left for the next run. */
  orphansChangedMeanwhile: number;
  /** Stopped by the abort signal before every write was tried. */
  interrupted: boolean;
  /** The first unexpected error; the writes after it were not tried. */
  error?: unknown;
}

type Tally = Exclude<keyof Outcome, "interrupted" | "error">;

export interface ApplyOptions extends Reconcile.RunOptions {
  /** Also delete profiles whose user no longer exists. */
  prune?: boolean;
  /** Writes in flight at once. */
  concurrency?: number;
  /** The clock of the writes' timestamps; the store's (the current time) when left out. */
  now?: () => Date;
}

/** Creates the profile exactly as the Post Confirmation trigger does: the same conditional put. */
async function createMissing(
  deps: Reconcile.Deps,
  user: PoolUsers.User,
  options: ApplyOptions,
): Promise<Tally> {
  if (!user.email) return "missingWithoutEmail";
  const created = await Profile.create(
    deps.profiles,
    { userId: user.userId, email: user.email, attributes: user.attributes },
    options.now?.(),
  );
  return created ? "created" : "alreadyExisted";
}

/** Sets the verified email, only if the profile still holds the scanned one. */
async function updateDrift(
  deps: Reconcile.Deps,
  drift: Reconcile.Drift,
  options: ApplyOptions,
): Promise<Tally> {
  const updated = await Profile.updateEmail(deps.profiles, drift.userId, drift, options.now?.());
  return updated ? "updated" : "driftChangedMeanwhile";
}

/** Deletes an orphan only once the pool confirms its user is gone, and only if the row is unchanged. */
async function pruneOrphan(
  deps: Reconcile.Deps,
  orphan: { userId: string; email: string },
  options: ApplyOptions,
): Promise<Tally> {
  const userExists = await PoolUsers.exists(deps.cognito, deps.userPoolId, orphan.userId, {
    signal: options.signal,
  });
  if (userExists) return "orphansWithUser";
  const deleted = await Profile.removeIfUnchanged(deps.profiles, orphan.userId, orphan.email);
  return deleted ? "deleted" : "orphansChangedMeanwhile";
}

/**
 * Heals the findings with conditional writes only, so a rerun, a concurrent
 * trigger or an edit through the API is never overwritten. Writes run a few
 * at a time; the first unexpected error or the abort signal stops new ones.
 */
export async function apply(
  deps: Reconcile.Deps,
  findings: Reconcile.Findings,
  options: ApplyOptions = {},
): Promise<Outcome> {
  const tally: Record<Tally, number> = {
    created: 0,
    alreadyExisted: 0,
    missingWithoutEmail: 0,
    updated: 0,
    driftChangedMeanwhile: 0,
    deleted: 0,
    orphansWithUser: 0,
    orphansChangedMeanwhile: 0,
  };
  const count = (write: () => Promise<Tally>) => async () => {
    tally[await write()] += 1;
  };
  const tasks = [
    ...findings.missing.map((user) => count(() => createMissing(deps, user, options))),
    ...findings.drift.map((drift) => count(() => updateDrift(deps, drift, options))),
    ...(options.prune
      ? findings.orphans.map((orphan) => count(() => pruneOrphan(deps, orphan, options)))
      : []),
  ];
  const total = tasks.length;
  const { done, error } = await runTasks(tasks, {
    concurrency: options.concurrency ?? 8,
    signal: options.signal,
    onDone: (done) => options.onProgress?.({ phase: "apply", done, total }),
  });
  return {
    ...tally,
    ...(error !== undefined ? { error } : {}),
    interrupted: options.signal?.aborted === true && done < total,
  };
}
