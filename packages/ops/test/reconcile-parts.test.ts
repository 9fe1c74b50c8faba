import { randomUUID } from "node:crypto";
import type { PoolUsers } from "@userprofile/core/pool-users";
import { Reconcile } from "@userprofile/core/reconcile";
import { classify } from "@userprofile/core/testing/findings";
import { attributesFor } from "@userprofile/core/testing/profiles";
import { describe, expect, it } from "vitest";
import { parseOptions, UsageError } from "../src/args";
import { describeError } from "../src/errors";
import { progressDisplay } from "../src/progress";
import { jsonReport, textReport } from "../src/report";
import { type Target, targetFromOutputs } from "../src/target";

describe("options", () => {
  const refusal = (argv: string[]) => {
    try {
      parseOptions(argv);
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      return (error as Error).message;
    }
    return "accepted";
  };

  it("is a dry run against the local stack unless told otherwise", () => {
    expect(parseOptions([])).toEqual({
      apply: false,
      prune: false,
      json: false,
      verbose: false,
      help: false,
    });
    expect(
      parseOptions(["--apply", "--prune", "--json", "--verbose", "--stage", "prod-eu"]),
    ).toEqual({
      apply: true,
      prune: true,
      json: true,
      verbose: true,
      help: false,
      stage: "prod-eu",
    });
  });

  it.each([
    [["--prune"], /only runs with --apply/],
    [["--stage", "qa", "--outputs", "x.json"], /either --stage or --outputs/],
    [["--stage", "../prod"], /not a stage name/],
    [["--stage"], /argument missing/],
    [["--outputs", ""], /needs a file/],
    [["--aply"], /Unknown option '--aply'/],
    [["extra"], /Unexpected argument/],
  ])("refuses %j", (argv, message) => {
    expect(refusal(argv)).toMatch(message);
  });
});

describe("outputs", () => {
  it("takes the region from the outputs, or from the pool id", () => {
    expect(
      targetFromOutputs({ userPoolId: "eu-west-1_AbC123", usersTable: "app-prod-Users" }, "f"),
    ).toEqual({
      description: "f",
      region: "eu-west-1",
      userPoolId: "eu-west-1_AbC123",
      usersTable: "app-prod-Users",
      credentials: "default-chain",
    });
    const local = targetFromOutputs(
      {
        region: "us-east-1",
        userPoolId: "local_x",
        usersTable: "Users",
        cognitoEndpoint: "http://127.0.0.1:9229",
        dynamodbEndpoint: "http://127.0.0.1:8000",
      },
      "the local stack",
    );
    expect(local.credentials).toBe("local");
    expect(() => targetFromOutputs({ userPoolId: "local_x", usersTable: "T" }, "f")).toThrow(
      /lack "region"/,
    );
    expect(() => targetFromOutputs({ region: "eu-west-1" }, "f")).toThrow(
      /lack "userPoolId" and "usersTable"/,
    );
  });
});

const user = (overrides: Partial<PoolUsers.User> = {}): PoolUsers.User => ({
  userId: randomUUID(),
  status: "CONFIRMED",
  email: "person@example.com",
  emailVerified: true,
  attributes: attributesFor({ firstName: "Grace", lastName: "Hopper" }),
  ...overrides,
});

describe("reports", () => {
  const missing = user();
  const drifted = user({ email: "new.address@example.com" });
  const orphan = randomUUID();
  const findings = classify(
    [
      { UserID: drifted.userId, Email: "old.address@example.com" },
      { UserID: orphan, Email: "orphan@example.com", firstName: "Ada" },
    ],
    [missing, drifted, user({ status: "UNCONFIRMED" })],
  );

  it("dry run: counts, the fix to run, no emails or names even with --verbose", () => {
    const text = textReport({
      target: "the local stack",
      findings,
      outcome: null,
      prune: false,
      verbose: true,
    });
    expect(text).toMatch(/confirmed users without a profile\s+1/);
    expect(text).toMatch(/profiles without a user\s+1/);
    expect(text).toContain(missing.userId);
    expect(text).toContain(orphan);
    expect(text).toContain(
      "Run with --apply to create 1 profile and update 1 email. Add --apply --prune to delete 1 profile whose user no longer exists.",
    );
    expect(text).not.toMatch(/@|Grace|Hopper|Ada/);
  });

  it("after --apply without --prune: says the orphans remain and how to delete them", () => {
    const outcome: Reconcile.Outcome = {
      created: 1,
      alreadyExisted: 0,
      missingWithoutEmail: 0,
      updated: 1,
      driftChangedMeanwhile: 0,
      deleted: 0,
      orphansWithUser: 0,
      orphansChangedMeanwhile: 0,
      interrupted: false,
    };
    const text = textReport({
      target: "stage qa",
      findings,
      outcome,
      prune: false,
      verbose: false,
    });
    expect(text).toContain(
      "Drift remains (1): 1 profile without a user (add --prune to delete them).",
    );
    expect(JSON.parse(jsonReport(findings, outcome))).toEqual({
      usersScanned: 3,
      profilesScanned: 2,
      missingProfiles: 1,
      orphanProfiles: 1,
      emailDrift: 1,
      unconfirmedUsers: 1,
      created: 1,
      updated: 1,
      deleted: 0,
    });
  });
});

describe("errors", () => {
  const target: Target = {
    description: "the local stack",
    region: "us-east-1",
    userPoolId: "local_x",
    usersTable: "Users",
    cognitoEndpoint: "http://127.0.0.1:9229",
    credentials: "local",
  };

  it("names the unreachable service and what to start", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    expect(describeError(new Reconcile.StepError("list-users", refused), target)).toBe(
      "Listing the user pool failed: cannot reach the user pool (local_x) at http://127.0.0.1:9229 (ECONNREFUSED). Is the local stack running (`pnpm dev:local`)?",
    );
  });

  it("never repeats an email a service put in its message", () => {
    const invalid = Object.assign(new Error('Invalid value "jane.doe+x@example.co.uk" for Email'), {
      name: "ValidationException",
    });
    expect(describeError(invalid, target)).toBe(
      'ValidationException: Invalid value "<redacted>" for Email',
    );
    const error = Object.assign(new Error("User a@b.example is not allowed"), {
      name: "AccessDeniedException",
    });
    expect(describeError(error, target)).toBe(
      "AccessDeniedException: User <redacted> is not allowed",
    );
  });
});

describe("progress", () => {
  it("draws a bar for the writes and counters for the reads", () => {
    const lineOn = (
      columns: number,
      show: (display: ReturnType<typeof progressDisplay>) => void,
    ) => {
      const written: string[] = [];
      show(progressDisplay({ isTTY: true, columns, write: (text) => written.push(text) }, true));
      return written.at(-1);
    };
    expect(lineOn(60, (d) => d.update({ phase: "apply", done: 5, total: 20 }))).toBe(
      "\r\x1b[2KApplying  [#####---------------] 5/20",
    );
    const throttled = lineOn(100, (d) => {
      for (let i = 0; i < 3; i += 1) d.throttled(100);
      d.update({ phase: "users", done: 1200 });
    });
    expect(throttled).toBe(
      "\r\x1b[2KListing the user pool      1,200 users  (throttled 3×, backing off)",
    );
  });

  it("writes only to a terminal", () => {
    const written: string[] = [];
    const stream = { isTTY: false, write: (text: string) => written.push(text) };
    const display = progressDisplay(stream, true);
    display.update({ phase: "profiles", done: 10 });
    display.clear();
    expect(written).toEqual([]);

    const tty = { isTTY: true, columns: 80, write: (text: string) => written.push(text) };
    const quiet = progressDisplay(tty, false);
    quiet.update({ phase: "profiles", done: 10 });
    expect(written).toEqual([]);

    const shown = progressDisplay(tty, true);
    shown.update({ phase: "profiles", done: 10 });
    shown.update({ phase: "apply", done: 2, total: 2 });
    shown.clear();
    expect(written.at(0)).toContain("Scanning the Users table");
    expect(written.at(1)).toContain("2/2");
    expect(written.at(-1)).toBe("\r\x1b[2K");
  });
});
