import type { PoolScale } from "./pool-scale";
import { ms, ratio, type Summary } from "./stats";

const pp = (s: Summary) => `${ms(s.median)} / ${ms(s.p95)} ms`;

/** Section 5d of the report: each level beside the empty pool measured in the same rounds. */
export function scaleReport(scale: PoolScale, samples: number) {
  const seeded = scale.seeding.reduce((total, step) => total + step.seconds, 0);
  return {
    title: `5d. The user pool at scale, public API only: p50 / p95 of ${samples} samples per level, alternating with an empty pool`,
    header: [
      "users in the pool",
      "ConfirmSignUp (incl. trigger)",
      "vs empty",
      "SRP sign-in, the pool's calls",
      "vs empty",
      "Amplify signIn (client math too)",
      "vs empty",
    ],
    rows: scale.levels.map((level) => [
      level.users.toLocaleString("en-US"),
      `${pp(level.confirmMs)} (empty ${pp(level.empty.confirmMs)})`,
      ratio(level.confirmMs.median, level.empty.confirmMs.median),
      `${pp(level.poolSignInMs)} (empty ${pp(level.empty.poolSignInMs)})`,
      ratio(level.poolSignInMs.median, level.empty.poolSignInMs.median),
      `${pp(level.signInMs)} (empty ${pp(level.empty.signInMs)})`,
      ratio(level.signInMs.median, level.empty.signInMs.median),
    ]),
    note: `   seeding (SignUp + AdminConfirmSignUp, ${scale.parallel} at a time): ${scale.seeding
      .map(
        (s) =>
          `${s.from.toLocaleString("en-US")}→${s.to.toLocaleString("en-US")} users ${s.seconds.toFixed(1)} s (${s.usersPerSecond.toFixed(0)}/s)`,
      )
      .join("; ")}; total ${seeded.toFixed(1)} s`,
  };
}

/** The pool's budgets: flat p50s up to the largest level, and the seeding time. */
export function scaleBudgets(scale: PoolScale) {
  const largest = scale.levels.at(-1);
  if (!largest) return [];
  const seeded = scale.seeding.reduce((total, step) => total + step.seconds, 0);
  const at = largest.users.toLocaleString("en-US");
  const within = (budget: string, achieved: number) => ({
    budget,
    achieved,
    limit: 1.5,
    unit: "×",
    deterministic: false,
  });
  return [
    within(
      `ConfirmSignUp (trigger included) at ${at} users ≤ 1.5× an empty pool's p50`,
      largest.confirmMs.median / largest.empty.confirmMs.median,
    ),
    within(
      `SRP sign-in (the pool's two calls) at ${at} users ≤ 1.5× an empty pool's p50`,
      largest.poolSignInMs.median / largest.empty.poolSignInMs.median,
    ),
    within(
      `Amplify SRP signIn at ${at} users ≤ 1.5× an empty pool's p50`,
      largest.signInMs.median / largest.empty.signInMs.median,
    ),
    {
      budget: `seeding ${at} users through the public API ≤ 60 s`,
      achieved: seeded,
      limit: 60,
      unit: "s",
      deterministic: false,
    },
  ];
}
