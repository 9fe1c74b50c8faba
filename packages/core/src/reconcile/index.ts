import { PoolUsers } from "../pool-users/index";
import { Profile } from "../profile/index";
import { UsersTable } from "../users-table/index";
import {
  type ApplyOptions as ApplyFindingsOptions,
  type Outcome as ApplyOutcome,
  apply as applyFindings,
} from "./apply";
import type * as ReconcileTypes from "./types";

/**
 * Compares the user pool with the Users table and heals the differences:
 * confirmed users without a profile (a failed trigger, users created by an
 * admin or imported), profiles without a user (a manual deletion), and
 * profiles whose email is not the user's verified email (an email changed in
 * the pool). Findings carry ids and, for the writes, the values to write;
 * callers must never print the emails or names they hold.
 */
export namespace Reconcile {
  export type Deps = ReconcileTypes.Deps;
  export type Drift = ReconcileTypes.Drift;
  export type Findings = ReconcileTypes.Findings;
  export type Progress = ReconcileTypes.Progress;
  export type RunOptions = ReconcileTypes.RunOptions;

  /** An item of the Users table as reconciling sees it. */
  type Row =
    | { kind: "profile"; userId: string; email: string }
    /**
     * Keyed by a user's sub but not a profile, such as the marker a deleted
     * account leaves until it expires: neither an orphan, nor is its user
     * missing a profile (Profile.create would not replace it anyway).
     */
    | { kind: "other"; userId: string };

  /**
   * The one place that decides which table items are profiles. An expired
   * deletion marker counts as no item at all, as it does for the API: its
   * user, if still in the pool, is missing a profile.
   */
  function rowOf(item: Record<string, unknown>, now = new Date()): Row | null {
    const userId = item[UsersTable.partitionKey];
    if (typeof userId !== "string") return null;
    const state = Profile.stateOf(item, now);
    if (state.status === "absent") return null;
    const email = item[UsersTable.attributes.email];
    return state.status === "active" && typeof email === "string"
      ? { kind: "profile", userId, email }
      : { kind: "other", userId };
  }

  /**
   * Classifies users page by page against the table's rows. It holds one
   * small entry per row (the email, or null for an item that is not a
   * profile) and the ids of listed users that have no row, never a page of
   * users once classified.
   */
  export class Classifier {
    /** `now` decides which deletion markers have expired. */
    constructor(private readonly now = new Date()) {}

    private readonly rows = new Map<string, { email: string | null; seen: boolean }>();
    private readonly seenWithoutRow = new Set<string>();
    private readonly findings: Findings = {
      usersScanned: 0,
      profilesScanned: 0,
      missing: [],
      orphans: [],
      drift: [],
      unconfirmed: [],
    };

    addItems(items: Iterable<Record<string, unknown>>) {
      for (const item of items) {
        const row = rowOf(item, this.now);
        if (!row || this.rows.has(row.userId)) continue;
        const email = row.kind === "profile" ? row.email : null;
        this.rows.set(row.userId, { email, seen: false });
        if (email !== null) this.findings.profilesScanned += 1;
      }
    }

    addUsers(users: Iterable<PoolUsers.User>) {
      for (const user of users) {
        if (!user.userId) continue;
        const row = this.rows.get(user.userId);
        // A page boundary that shifts while users sign up can repeat a user.
        if (row?.seen || (!row && this.seenWithoutRow.has(user.userId))) continue;
        if (row) row.seen = true;
        else this.seenWithoutRow.add(user.userId);
        this.findings.usersScanned += 1;
        if (user.status === "UNCONFIRMED") {
          this.findings.unconfirmed.push(user.userId);
        } else if (!row) {
          this.findings.missing.push(user);
        } else if (
          row.email !== null &&
          user.emailVerified &&
          user.email !== undefined &&
          user.email !== row.email
        ) {
          this.findings.drift.push({ userId: user.userId, from: row.email, to: user.email });
        }
      }
    }

    /** Call once every user has been added. */
    finish(): Findings {
      for (const [userId, row] of this.rows) {
        if (row.email !== null && !row.seen) {
          this.findings.orphans.push({ userId, email: row.email });
        }
      }
      return this.findings;
    }
  }

  /**
   * Reads the whole table, then the whole pool. Profiles first: a profile
   * seen by the scan belongs to a user who confirmed before the listing
   * started, so the listing includes that user unless they were deleted.
   */
  export async function scan(deps: Deps, options: RunOptions = {}): Promise<Findings> {
    const classifier = new Classifier();
    let items = 0;
    try {
      for await (const page of Profile.scan(deps.profiles, { signal: options.signal })) {
        classifier.addItems(page);
        items += page.length;
        options.onProgress?.({ phase: "profiles", done: items });
      }
    } catch (error) {
      throw new StepError("scan-table", error);
    }
    let users = 0;
    try {
      for await (const page of PoolUsers.pages(deps.cognito, deps.userPoolId, {
        signal: options.signal,
      })) {
        classifier.addUsers(page);
        users += page.length;
        options.onProgress?.({ phase: "users", done: users });
      }
    } catch (error) {
      throw new StepError("list-users", error);
    }
    return classifier.finish();
  }

  /** Which read failed; the service's error is the cause. */
  export class StepError extends Error {
    override name = "StepError";
    constructor(
      readonly step: "scan-table" | "list-users",
      cause: unknown,
    ) {
      super(
        step === "scan-table" ? "Scanning the Users table failed" : "Listing the user pool failed",
        {
          cause,
        },
      );
    }
  }

  export type Outcome = ApplyOutcome;
  export type ApplyOptions = ApplyFindingsOptions;
  /**
   * Heals the findings with conditional writes only: missing profiles are
   * created exactly as the Post Confirmation trigger creates them, drifted
   * emails change only if the profile still holds the scanned email, and
   * with `prune` an orphan is deleted only after the pool confirms its user
   * is gone and only if the row is unchanged.
   */
  export const apply = applyFindings;

  /** Drift left after the run: everything found by a dry run, what the writes did not heal otherwise. */
  export function remainingDrift(
    findings: Findings,
    outcome: Outcome | null,
    options: { prune?: boolean } = {},
  ): number {
    const found = findings.missing.length + findings.drift.length + findings.orphans.length;
    if (!outcome) return found;
    const healed =
      outcome.created +
      outcome.alreadyExisted +
      outcome.updated +
      (options.prune ? outcome.deleted + outcome.orphansWithUser : 0);
    return found - healed;
  }

  /** The report's numbers: what was found, then what was written. */
  export interface Summary {
    usersScanned: number;
    profilesScanned: number;
    missingProfiles: number;
    orphanProfiles: number;
    emailDrift: number;
    unconfirmedUsers: number;
    created: number;
    updated: number;
    deleted: number;
  }

  export function summary(findings: Findings, outcome: Outcome | null): Summary {
    return {
      usersScanned: findings.usersScanned,
      profilesScanned: findings.profilesScanned,
      missingProfiles: findings.missing.length,
      orphanProfiles: findings.orphans.length,
      emailDrift: findings.drift.length,
      unconfirmedUsers: findings.unconfirmed.length,
      created: outcome?.created ?? 0,
      updated: outcome?.updated ?? 0,
      deleted: outcome?.deleted ?? 0,
    };
  }
}
