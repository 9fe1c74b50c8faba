import { AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import type { ProfileFields } from "@userprofile/core/profile-fields";
import { fields as definedFields } from "@userprofile/core/profile-fields/fields";
import { nameRule, textRule } from "@userprofile/core/profile-fields/rules";
import { useLocalDynamoDB } from "@userprofile/core/testing/env";
import { captureLogs } from "@userprofile/core/testing/logs";
import { anyName } from "@userprofile/core/testing/name-arbitrary";
import {
  type Harness,
  signUpAndConfirm,
  startHarness,
  uniqueEmail,
} from "@userprofile/local/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ApiEvent, ApiResult } from "../src/api/http";
import { apiEvent } from "./events";

/**
 * Sign-up → Post Confirmation trigger (or, when it failed, the heal path of
 * GET /me or reconcile) → GET /me → PATCH /me → GET /me, through the real
 * handlers against dynalite and the user-pool emulator, for the definition
 * of profile fields extended with the fields each run adds: adding a field
 * is editing that one list.
 */
const { client, tableName, rawItem } = useLocalDynamoDB();
let pool: Harness;
let failTrigger = false;
let trigger: (event: unknown) => Promise<unknown> = async (event) => event;

beforeAll(async () => {
  // The custom attributes the added fields may come from, as the deploy would add them to the
  // pool's schema (ProfileFields.customAttributeSchema).
  const custom = ["tagline", ...Object.keys(STANDARD)].map((key) => ({
    name: `custom:${key}`,
    dataType: "String" as const,
    mutable: true,
    required: false,
    developerOnly: false,
    stringConstraints: { minLength: 0, maxLength: 2048 },
  }));
  pool = await startHarness({ spec: (spec) => ({ ...spec, schema: custom }) });
  process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = pool.pool.endpoint;
  process.env.SST_RESOURCE_UserPool = JSON.stringify({ id: pool.pool.userPoolId });
  pool.lambda.setHandler(async (event) => {
    if (failTrigger) throw new Error("Injected: the trigger failed");
    return trigger(event);
  });
});

afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER;
  await pool?.stop();
});

/** The handlers and core modules, built afresh from the definition with `added` appended. */
async function load(added: ProfileFields.Definition[]) {
  vi.resetModules();
  vi.doMock("@userprofile/core/profile-fields/fields", () => ({
    fields: [...definedFields, ...added],
  }));
  const [getMe, patchMe, postConfirmation, fields, poolUsers, profile, reconcile] =
    await Promise.all([
      import("../src/api/get-me"),
      import("../src/api/patch-me"),
      import("../src/cognito/post-confirmation"),
      import("@userprofile/core/profile-fields"),
      import("@userprofile/core/pool-users"),
      import("@userprofile/core/profile"),
      import("@userprofile/core/reconcile"),
    ]);
  trigger = postConfirmation.handler as (event: unknown) => Promise<unknown>;
  return {
    getMe: getMe.handler as (event: ApiEvent) => Promise<ApiResult>,
    patchMe: patchMe.handler as (event: ApiEvent) => Promise<ApiResult>,
    ProfileFields: fields.ProfileFields,
    PoolUsers: poolUsers.PoolUsers,
    Profile: profile.Profile,
    Reconcile: reconcile.Reconcile,
  };
}

type Path = "trigger" | "heal" | "reconcile";

interface Run {
  added: ProfileFields.Definition[];
  /** Pool attribute → the raw value signed up with. */
  attributes: Record<string, string>;
  path: Path;
  /** The PATCH body's entries, in order. */
  patch: [string, string | null][];
}

const bodyOf = (result: ApiResult) => JSON.parse(result.body as string) as Record<string, unknown>;

/** Runs one round trip and checks every step against what the definition says. */
async function roundTrip(run: Run) {
  const app = await load(run.added);
  const fields = app.ProfileFields.all;
  expect(fields.map((field) => field.key)).toEqual(
    [...definedFields, ...run.added].map((field) => field.key),
  );
  const email = uniqueEmail("round-trip");
  failTrigger = run.path !== "trigger";
  let userId: string;
  try {
    userId = (await signUpAndConfirm(pool, email, run.attributes)).UserSub as string;
    expect(run.path).toBe("trigger");
  } catch (error) {
    // Cognito keeps the user confirmed when the trigger fails.
    expect((error as Error).name).toBe("UserLambdaValidationException");
    userId = await subOf(email);
  } finally {
    failTrigger = false;
  }
  // Only the trigger has written the profile so far; otherwise GET /me or reconcile makes it.
  expect((await rawItem(userId)) !== undefined).toBe(run.path === "trigger");
  if (run.path === "reconcile") {
    const users = [];
    for await (const page of app.PoolUsers.pages(pool.client, pool.pool.userPoolId)) {
      users.push(...page.filter((user) => user.userId === userId));
    }
    const deps = {
      profiles: app.Profile.store(tableName, client),
      cognito: pool.client,
      userPoolId: pool.pool.userPoolId,
    };
    const findings = { ...emptyFindings(), missing: users };
    expect(await app.Reconcile.apply(deps, findings)).toMatchObject({ created: 1 });
  }

  const fromPool = Object.fromEntries(
    fields.map((field) => {
      const raw = field.poolAttribute ? run.attributes[field.poolAttribute] : undefined;
      return [field.key, raw === undefined ? null : (field.rule.clean(raw) ?? null)];
    }),
  );
  const first = await app.getMe(apiEvent("GET /me", { sub: userId }));
  expect(first.statusCode).toBe(200);
  const created = bodyOf(first);
  expect(Object.keys(created)).toEqual([
    "userId",
    "email",
    ...fields.map((field) => field.key),
    "createdAt",
    "updatedAt",
  ]);
  expect(created).toMatchObject({ userId, email, ...fromPool });
  const item = await rawItem(userId);
  expect(Object.keys(item ?? {}).sort()).toEqual(
    [
      "UserID",
      "Email",
      "CreatedAt",
      "UpdatedAt",
      ...fields.filter((field) => fromPool[field.key] !== null).map((field) => field.attribute),
    ].sort(),
  );

  const body = JSON.stringify(Object.fromEntries(run.patch));
  const patched = await app.patchMe(apiEvent("PATCH /me", { sub: userId, body }));
  const expected = expectedPatch(fields, run.patch, body);
  const after = bodyOf(await app.getMe(apiEvent("GET /me", { sub: userId })));
  if ("error" in expected) {
    expect([patched.statusCode, bodyOf(patched).error]).toEqual([
      400,
      { code: expected.error, message: expect.any(String) },
    ]);
    expect(after).toEqual(created);
    return { after, patched: bodyOf(patched) };
  }
  expect(patched.statusCode).toBe(200);
  expect(bodyOf(patched)).toEqual({
    ...created,
    ...expected.values,
    updatedAt: expect.any(String),
  });
  expect(after).toEqual(bodyOf(patched));
  return { after, patched: bodyOf(patched) };
}

async function subOf(email: string): Promise<string> {
  const user = await pool.client.send(
    new AdminGetUserCommand({ UserPoolId: pool.pool.userPoolId, Username: email }),
  );
  return user.UserAttributes?.find((attribute) => attribute.Name === "sub")?.Value as string;
}

function emptyFindings() {
  return { usersScanned: 0, profilesScanned: 0, orphans: [], drift: [], unconfirmed: [] };
}

/** What PATCH /me must answer for these entries: an error code, or the stored values. */
function expectedPatch(
  fields: readonly ProfileFields.Definition[],
  entries: [string, string | null][],
  body: string,
): { error: string } | { values: Record<string, string | null> } {
  if (Buffer.byteLength(body) > 4096) return { error: "body_too_large" };
  const values: Record<string, string | null> = {};
  for (const [key, value] of entries) {
    const field = fields.find((candidate) => candidate.key === key);
    if (!field?.editable) return { error: "unknown_field" };
    if (value === null) {
      values[key] = null;
      continue;
    }
    const verdict = field.rule.check(value, key);
    if (!verdict.ok) return { error: field.rule.code };
    values[key] = verdict.value;
  }
  return entries.length ? { values } : { error: "empty_change" };
}

/** The README's recipe, an editable text field, first with no pool attribute, then from a custom one; named apart from the recipe's displayName, so a clone that follows the recipe keeps this test. */
const tagline = (poolAttribute?: string): ProfileFields.Definition => ({
  key: "tagline",
  attribute: "tagline",
  ...(poolAttribute ? { poolAttribute } : {}),
  rule: textRule(80),
  editable: true,
  label: "Tagline",
});

/** A standard attribute for each key a run may add, when the field comes from one. */
const STANDARD = {
  tagline: "name",
  pronouns: "middle_name",
  title: "profile",
  handle: "nickname",
};

const addedFields = fc
  .uniqueArray(
    fc.record({
      key: fc.constantFrom(...(Object.keys(STANDARD) as (keyof typeof STANDARD)[])),
      source: fc.constantFrom("none", "custom", "standard"),
      maxLength: fc.option(fc.integer({ min: 1, max: 80 }), { nil: undefined }),
      editable: fc.boolean(),
    }),
    { selector: (field) => field.key, maxLength: 3 },
  )
  .map((list) =>
    list.map(
      ({ key, source, maxLength, editable }): ProfileFields.Definition => ({
        key,
        attribute: `${key[0]?.toUpperCase()}${key.slice(1)}`,
        ...(source === "custom" ? { poolAttribute: `custom:${key}` } : {}),
        ...(source === "standard" ? { poolAttribute: STANDARD[key] } : {}),
        rule: maxLength === undefined ? nameRule : textRule(maxLength),
        editable: editable || source === "none",
        label: key,
      }),
    ),
  );

const runs: fc.Arbitrary<Run> = addedFields.chain((added) => {
  const all = [...definedFields, ...added];
  const poolAttributes = all.flatMap((field) => (field.poolAttribute ? [field.poolAttribute] : []));
  return fc.record({
    added: fc.constant(added),
    attributes: fc.record(Object.fromEntries(poolAttributes.map((name) => [name, anyName])), {
      requiredKeys: [],
    }) as fc.Arbitrary<Record<string, string>>,
    path: fc.constantFrom<Path>("trigger", "heal", "reconcile"),
    patch: fc
      .shuffledSubarray(all.map((field) => field.key))
      .chain((keys) =>
        fc.tuple(
          ...keys.map((key) => fc.tuple(fc.constant(key), fc.option(anyName, { nil: null }))),
        ),
      ),
  });
});

describe("profile fields, end to end", () => {
  it.each<Path>(["trigger", "heal", "reconcile"])(
    "round-trips an added tagline with no pool attribute (new profile via %s)",
    async (path) => {
      const { after } = await roundTrip({
        added: [tagline()],
        attributes: { given_name: " Ada " },
        path,
        patch: [
          ["tagline", "  Countess of Lovelace "],
          ["lastName", "Lovelace"],
        ],
      });
      expect(after).toMatchObject({
        firstName: "Ada",
        lastName: "Lovelace",
        tagline: "Countess of Lovelace",
      });
    },
  );

  it("round-trips an added tagline from a custom attribute, and refuses a long one", async () => {
    const { after, patched } = await roundTrip({
      added: [tagline("custom:tagline")],
      attributes: { "custom:tagline": `Ada\u0000 ${"x".repeat(90)}` },
      path: "heal",
      patch: [["tagline", "y".repeat(81)]],
    });
    expect(after).toMatchObject({ firstName: null, tagline: `Ada ${"x".repeat(76)}` });
    expect(patched).toEqual({
      error: {
        code: "invalid_text",
        message: '"tagline" must be at most 80 characters. Send null to clear it.',
      },
    });
  });

  it("round-trips every defined field, for any added fields, values and path", async () => {
    const logs = captureLogs();
    try {
      await fc.assert(
        fc.asyncProperty(runs, async (run) => {
          await roundTrip(run);
        }),
        { numRuns: 40 },
      );
    } finally {
      logs.restore();
    }
  }, 120_000);
});
