import { Reconcile } from "@userprofile/core/reconcile";

/**
 * What the operator reads. It holds counts and user ids (subs) only: the
 * findings also carry emails and names for the writes, and none of them
 * may reach any output.
 */
export interface ReportInput {
  target: string;
  findings: Reconcile.Findings;
  outcome: Reconcile.Outcome | null;
  prune: boolean;
  verbose: boolean;
}

const n = (value: number) => value.toLocaleString("en-US");
const plural = (value: number, one: string, many: string) =>
  `${n(value)} ${value === 1 ? one : many}`;

/** The id lists of --verbose, one group per heading. */
function idGroups(findings: Reconcile.Findings): Array<[string, string[]]> {
  return [
    ["confirmed users without a profile", findings.missing.map((user) => user.userId)],
    ["profiles without a user", findings.orphans.map((orphan) => orphan.userId)],
    ["profiles whose email is not the verified email", findings.drift.map((d) => d.userId)],
    ["unconfirmed users", findings.unconfirmed],
  ];
}

export function idListText(findings: Reconcile.Findings): string {
  return idGroups(findings)
    .filter(([, ids]) => ids.length > 0)
    .map(
      ([heading, ids]) =>
        `\n${heading} (${n(ids.length)}):\n${ids.map((id) => `  ${id}`).join("\n")}`,
    )
    .join("\n");
}

export function textReport({ target, findings, outcome, prune, verbose }: ReportInput): string {
  const summary = Reconcile.summary(findings, outcome);
  const rows: Array<[string, number]> = [
    ["users scanned", summary.usersScanned],
    ["profiles scanned", summary.profilesScanned],
    ["confirmed users without a profile", summary.missingProfiles],
    ["profiles without a user", summary.orphanProfiles],
    ["profiles whose email is not the verified email", summary.emailDrift],
    ["unconfirmed users (reported, not drift)", summary.unconfirmedUsers],
  ];
  if (outcome) {
    rows.push(
      ["profiles created", summary.created],
      ["emails updated", summary.updated],
      ["orphan profiles deleted", summary.deleted],
    );
  }
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const lines = [
    `Users and profiles of ${target}${outcome ? "" : " (dry run)"}:`,
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}${n(value).padStart(8)}`),
  ];
  if (verbose) lines.push(idListText(findings));

  lines.push("");
  const remaining = Reconcile.remainingDrift(findings, outcome, { prune });
  if (!outcome) {
    if (remaining === 0) {
      lines.push("No drift. Nothing to do.");
    } else {
      const fixes: string[] = [];
      if (summary.missingProfiles) {
        fixes.push(`create ${plural(summary.missingProfiles, "profile", "profiles")}`);
      }
      if (summary.emailDrift) {
        fixes.push(`update ${plural(summary.emailDrift, "email", "emails")}`);
      }
      const apply = fixes.length ? `Run with --apply to ${fixes.join(" and ")}.` : "";
      const pruneHint = summary.orphanProfiles
        ? `${apply ? " " : ""}Add --apply --prune to delete ${plural(summary.orphanProfiles, "profile", "profiles")} whose user no longer exists.`
        : "";
      lines.push(`Dry run: nothing was written. ${apply}${pruneHint}`);
    }
    return `${lines.join("\n")}\n`;
  }

  const kept: string[] = [];
  if (outcome.alreadyExisted) {
    kept.push(`${n(outcome.alreadyExisted)} missing profile(s) appeared meanwhile and were kept`);
  }
  if (outcome.orphansWithUser) {
    kept.push(`${n(outcome.orphansWithUser)} orphan(s) turned out to have a user and were kept`);
  }
  if (kept.length) lines.push(`${kept.join("; ")}.`);
  if (remaining === 0) {
    lines.push("No drift remains.");
  } else {
    const left: string[] = [];
    if (!prune && summary.orphanProfiles) {
      left.push(
        `${plural(summary.orphanProfiles, "profile", "profiles")} without a user (add --prune to delete them)`,
      );
    }
    const changed = outcome.driftChangedMeanwhile + (prune ? outcome.orphansChangedMeanwhile : 0);
    if (changed) left.push(`${n(changed)} profile(s) changed during the run (re-run to recheck)`);
    if (outcome.missingWithoutEmail) {
      left.push(
        `${n(outcome.missingWithoutEmail)} user(s) without an email to make a profile from`,
      );
    }
    lines.push(`Drift remains (${n(remaining)}): ${left.join("; ") || "re-run to finish"}.`);
  }
  return `${lines.join("\n")}\n`;
}

/** `--json`: exactly these keys, all numbers. */
export function jsonReport(
  findings: Reconcile.Findings,
  outcome: Reconcile.Outcome | null,
): string {
  return `${JSON.stringify(Reconcile.summary(findings, outcome))}\n`;
}
