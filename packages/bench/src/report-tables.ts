/** Sections 2, 3, 5 and 6 and the budgets of `pnpm bench`'s report, as tables to print. */
import type { costs } from "./cost";
import type { ReadyResult } from "./ready";
import type { ClassifierBench, ReconcileBench } from "./reconcile";
import type { SrpPoolSide } from "./srp";
import type { ApiResult, FlowResult } from "./stack";
import { ms, type Summary, spread } from "./stats";
import type { WarmResult } from "./trigger";

/** One row of the budgets table, as cli.ts computes them. */
export interface BudgetResult {
  budget: string;
  achieved: number;
  unit: string;
  pass: boolean;
  deterministic: boolean;
}

export interface Table {
  title: string;
  header: string[];
  rows: string[][];
}

const tableOf = (title: string, header: string[], rows: string[][]): Table => ({
  title,
  header,
  rows,
});

const p = (s: Summary) => `${ms(s.median)} / ${ms(s.p99)} ms`;

export function warmTable(warm: WarmResult): Table {
  return tableOf(
    "2. Trigger warm (p50 / p99)",
    ["what", "p50 / p99", "spread (p25–p75)"],
    [
      ["trigger invocation", p(warm.triggerMs), spread(warm.triggerMs)],
      ["baseline put-item invocation", p(warm.baselineMs), spread(warm.baselineMs)],
      ["bare conditional PutItem (same client config)", p(warm.barePutMs), spread(warm.barePutMs)],
      ["trigger overhead beyond the put (paired)", p(warm.overheadMs), spread(warm.overheadMs)],
    ],
  );
}

export function apiTable(api: ApiResult): Table {
  return tableOf(
    "3. API (p50 / p99)",
    ["what", "p50 / p99", "spread (p25–p75)"],
    [
      ["GET /me via gateway (JWT verified)", p(api.gateway.getMe), spread(api.gateway.getMe)],
      ["PATCH /me via gateway (JWT verified)", p(api.gateway.patchMe), spread(api.gateway.patchMe)],
      [
        "GET /me without token (401, gateway floor)",
        p(api.gateway.unauthorized),
        spread(api.gateway.unauthorized),
      ],
      ["GET /me handler alone (payload 2.0)", p(api.handler.getMe), spread(api.handler.getMe)],
      [
        "PATCH /me handler alone (payload 2.0)",
        p(api.handler.patchMe),
        spread(api.handler.patchMe),
      ],
      ["bare GetItem (baseline)", p(api.handler.bareGet), spread(api.handler.bareGet)],
      [
        "GET /me handler overhead beyond GetItem (paired)",
        p(api.handler.getOverhead),
        spread(api.handler.getOverhead),
      ],
      ...(api.getMeCold
        ? [
            [
              "GET /me cold start (import + first call)",
              p(api.getMeCold.coldMs),
              spread(api.getMeCold.coldMs),
            ],
          ]
        : []),
    ],
  );
}

export function localStackTable(
  f: { empty: FlowResult; full: FlowResult; fillSeconds: number },
  ready: ReadyResult,
  reload: Summary,
): Table {
  return tableOf(
    "5. Local stack",
    ["what", "figure", "baseline / note"],
    [
      [
        "ready: command → outputs.json (full, with Vite)",
        spread(ready.full),
        `floor (node + tsx, empty module) ${spread(ready.floor)}`,
      ],
      ["ready: backend only (LOCAL_WEB=false)", spread(ready.backendOnly), ""],
      [
        "ready: first start (sst.config.ts evaluated, no cache)",
        spread(ready.firstStart),
        "the usual start reuses the cached evaluation",
      ],
      ["a route added to sst.config.ts → served", spread(reload), "the data kept"],
      [
        `flows/s (sign-up, confirm, SRP sign-in, GET /me), ${f.empty.users} user(s)`,
        f.empty.flowsPerSecond.toFixed(2),
        `flow ${spread(f.empty.flowMs)}; sign-in ${spread(f.empty.signInMs)}`,
      ],
      [
        `flows/s, ${f.full.users} users`,
        f.full.flowsPerSecond.toFixed(2),
        `flow ${spread(f.full.flowMs)}; sign-in ${spread(f.full.signInMs)}`,
      ],
      [
        `ConfirmSignUp incl. trigger p95, ${f.empty.users} user(s)`,
        `${ms(f.empty.confirmMs.p95)} ms`,
        `p50 ${ms(f.empty.confirmMs.median)} ms`,
      ],
      [
        `ConfirmSignUp incl. trigger p95, ${f.full.users} users`,
        `${ms(f.full.confirmMs.p95)} ms`,
        `p50 ${ms(f.full.confirmMs.median)} ms; filling took ${f.fillSeconds.toFixed(1)} s`,
      ],
    ],
  );
}

export function srpTable(srp: SrpPoolSide): Table {
  const pp = (s: Summary) => `${ms(s.median)} / ${ms(s.p95)} ms`;
  return tableOf(
    "5b. Local SRP sign-in, the pool's side (createChallenge + verifyPasswordClaim, no HTTP): p50 / p95",
    [
      "sign-in",
      "InitiateAuth (salt, verifier, B)",
      "RespondToAuthChallenge (S, signature)",
      "both",
      "CPU per sign-in",
    ],
    (["first", "repeat"] as const).map((kind) => [
      kind === "first"
        ? "a user's first (verifier computed)"
        : "the same user again (verifier cached)",
      pp(srp[kind].challengeMs),
      pp(srp[kind].verifyMs),
      pp(srp[kind].totalMs),
      `${ms(srp[kind].cpuMsPerSignIn)} ms`,
    ]),
  );
}

export function reconcileTable(r: ReconcileBench, classifier: ClassifierBench): Table {
  return tableOf(
    "5c. users:reconcile against the local stack (in-process, the command's clients)",
    ["what", "figure", "note"],
    [
      [
        `dry run, ${r.users} users / ${r.profiles} profiles, no drift`,
        `${ms(r.dryRunMs)} ms`,
        `${ms((r.dryRunMs / r.users) * 1000)} ms per 1,000 users`,
      ],
      [
        `--apply: ${r.drift.missing} missing profiles + ${r.drift.emailDrift} drifted emails`,
        `${ms(r.applyMs)} ms`,
        `scan + writes; drift left afterwards: ${r.remainingAfterApply}`,
      ],
      [
        `classifier heap, ${classifier.users.toLocaleString("en-US")} synthetic users`,
        `${classifier.bytesPerUser.toFixed(0)} B/user`,
        `classifying: ${ms(classifier.classifyMsPerMillion)} ms per million users`,
      ],
    ],
  );
}

export function costTable(cost: ReturnType<typeof costs>): Table {
  const usd = (v: number) => (v < 0.01 ? `$${v.toExponential(2)}` : `$${v.toFixed(2)}`);
  return tableOf(
    "6. Cost on paper (us-east-1 list prices, arm64)",
    ["what", "cost"],
    [
      ["one sign-up, cold / warm", `${usd(cost.perSignUp.cold)} / ${usd(cost.perSignUp.warm)}`],
      ["one profile read, cold / warm", `${usd(cost.perRead.cold)} / ${usd(cost.perRead.warm)}`],
      ...cost.months.map((month) => [
        `${month.users.toLocaleString("en-US")} users/month (sign-up + read, ${month.coldShare * 100}% cold)`,
        `${usd(month.backend)} backend + ${usd(month.cognito)} Cognito ${cost.cognitoPlan} MAUs (${Object.entries(
          month.cognitoByPlan,
        )
          .filter(([plan]) => plan !== cost.cognitoPlan)
          .map(([plan, amount]) => `${plan}: ${usd(amount)}`)
          .join(", ")})`,
      ]),
    ],
  );
}

export function budgetsTable(budgets: BudgetResult[]): Table {
  return tableOf(
    "Budgets",
    ["budget", "achieved", "status", "kind"],
    budgets.map((b) => [
      b.budget,
      `${b.achieved.toFixed(b.unit === "×" ? 3 : 2)} ${b.unit}`,
      b.pass ? "PASS" : "MISS",
      b.deterministic ? "enforced in tests" : "timing, reported",
    ]),
  );
}
