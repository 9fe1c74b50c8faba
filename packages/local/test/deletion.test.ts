import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configureAmplifyInNode, srpSignIn } from "../testing/amplify-node";
import { api, confirm, PASSWORD, rawItem, signUp, uniqueEmail } from "./flows";
import { startTarget, type Target } from "./target";

let target: Target;

beforeAll(async () => {
  target = await startTarget();
  configureAmplifyInNode(target);
});

afterAll(async () => {
  await target?.stop();
});

const USERS = 40;
const SIGN_UP_BATCH = 10;
const RACE_WAVE = 10;
const MARKER_KEYS = ["DeletedAt", "ExpiresAt", "UserID"];
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface User {
  email: string;
  sub: string;
  idToken: string;
  accessToken: string;
}

/** Signed up and confirmed; a trigger that timed out (the user stays confirmed) is healed later. */
async function signUpConfirmed(email: string, names: Record<string, string>) {
  const sub = await signUp(target, email, names);
  try {
    await confirm(target, email);
  } catch (error) {
    if ((error as Error).name !== "UserLambdaValidationException") throw error;
  }
  return sub;
}

async function newUser(prefix: string, names: Record<string, string>): Promise<User> {
  const email = uniqueEmail(prefix);
  const sub = await signUpConfirmed(email, names);
  return { email, sub, ...(await srpSignIn(email, PASSWORD)) };
}

/** Every item the table holds for these users that is more than a deletion marker. */
async function profileRows(subs: string[]) {
  const { Items = [] } = await target.dynamodb.send(
    new ScanCommand({ TableName: target.usersTable, ConsistentRead: true }),
  );
  return Items.filter(
    (item) =>
      subs.includes(item.UserID?.S ?? "") &&
      Object.keys(item).some((key) => !MARKER_KEYS.includes(key)),
  );
}

describe("DELETE /me racing GET and PATCH with the same valid tokens", () => {
  const statuses: Record<string, number[]> = { DELETE: [], GET: [], PATCH: [] };
  const afterDeletion: string[] = [];
  const failures: string[] = [];
  const users: User[] = [];

  beforeAll(async () => {
    const emails = Array.from({ length: USERS }, (_, i) => uniqueEmail(`race${i}`));
    const subs: string[] = [];
    for (let i = 0; i < USERS; i += SIGN_UP_BATCH) {
      const batch = emails.slice(i, i + SIGN_UP_BATCH);
      subs.push(
        ...(await Promise.all(
          batch.map((email, j) =>
            signUpConfirmed(email, { given_name: "Racing", family_name: `Person${i + j}` }),
          ),
        )),
      );
    }
    // Amplify's sign-in state is global: one at a time. The first GET heals a
    // profile whose trigger timed out on a busy machine, so every user starts with one.
    for (const [i, email] of emails.entries()) {
      const user = { email, sub: subs[i] as string, ...(await srpSignIn(email, PASSWORD)) };
      expect((await api(target, "GET", "/me", { token: user.idToken })).status).toBe(200);
      users.push(user);
    }
    expect(await profileRows(subs)).toHaveLength(USERS);
    // Each function's bundle builds on its first call: build them before the race.
    const warmUp = await newUser("warm-up", {});
    await api(target, "PATCH", "/me", { token: warmUp.idToken, body: '{"firstName":"Warm"}' });
    await api(target, "DELETE", "/me", { token: warmUp.idToken });

    // Each user's requests race each other; users go in waves so that a busy
    // machine does not push requests past the functions' timeout.
    const race = async (user: User, i: number) => {
      // Half delete with the access token (username claim), half with the ID token.
      const token = i % 2 ? user.accessToken : user.idToken;
      const other = i % 2 ? user.idToken : user.accessToken;
      let deleted = false;
      const record = (method: string) => (result: { status: number; body: unknown }) => {
        statuses[method]?.push(result.status);
        if (result.status >= 500) failures.push(`${method} ${JSON.stringify(result.body)}`);
        return result;
      };
      const deletion = (async () => {
        await pause(i % 7);
        const result = await api(target, "DELETE", "/me", { token });
        deleted = true;
        return record("DELETE")(result);
      })();
      const racer = async (n: number) => {
        await pause((n * 3) % 11);
        do {
          await Promise.all([
            api(target, "GET", "/me", { token: n % 2 ? token : other }).then(record("GET")),
            api(target, "PATCH", "/me", {
              token: n % 2 ? other : token,
              body: JSON.stringify({ firstName: `Patched${n}` }),
            }).then(record("PATCH")),
          ]);
        } while (!deleted);
      };
      await Promise.all([deletion, racer(0), racer(1), racer(2)]);
      // After the 204, with tokens API Gateway still accepts.
      for (const after of [token, other]) {
        const read = await api(target, "GET", "/me", { token: after });
        const write = await api(target, "PATCH", "/me", {
          token: after,
          body: JSON.stringify({ lastName: "After" }),
        });
        afterDeletion.push(`${read.status} ${(read.body?.error as { code?: string })?.code}`);
        afterDeletion.push(`${write.status} ${(write.body?.error as { code?: string })?.code}`);
      }
    };
    for (let i = 0; i < USERS; i += RACE_WAVE) {
      await Promise.all(users.slice(i, i + RACE_WAVE).map((user, j) => race(user, i + j)));
    }
  }, 240_000);

  it("answers every DELETE with 204 and every racing request with 200 or 404, never a 500", () => {
    expect(statuses.DELETE).toEqual(Array(USERS).fill(204));
    const racing = [...(statuses.GET ?? []), ...(statuses.PATCH ?? [])];
    expect(racing.length).toBeGreaterThanOrEqual(USERS * 6);
    expect(failures).toEqual([]);
    expect(racing.filter((status) => status !== 200 && status !== 404)).toEqual([]);
  });

  it("answers GET and PATCH after the 204 with 404 account_not_found", () => {
    expect(afterDeletion).toEqual(Array(USERS * 4).fill("404 account_not_found"));
  });

  it("leaves 0 profile rows: each deleted user has only a marker without email or names", async () => {
    const subs = users.map((user) => user.sub);
    expect(await profileRows(subs)).toEqual([]);
    for (const user of users) {
      const item = await rawItem(target, user.sub);
      expect(Object.keys(item ?? {}).sort()).toEqual(MARKER_KEYS);
      expect(JSON.stringify(item)).not.toContain(user.email);
    }
  });

  it("still writes nothing back later, whatever the old tokens ask", async () => {
    const subs = users.map((user) => user.sub);
    await Promise.all(
      users
        .slice(0, 10)
        .flatMap((user) => [
          api(target, "GET", "/me", { token: user.idToken }),
          api(target, "PATCH", "/me", { token: user.accessToken, body: '{"firstName":"Ghost"}' }),
          api(target, "DELETE", "/me", { token: user.idToken }),
        ]),
    );
    expect(await profileRows(subs)).toEqual([]);
  });
});

describe("after an account is deleted", () => {
  it("a sign-up with the same email gets a new sub and a fresh profile; the old tokens stay refused", async () => {
    const first = await newUser("again", { given_name: "First", family_name: "Life" });
    expect((await api(target, "DELETE", "/me", { token: first.idToken })).status).toBe(204);

    const secondSub = await signUpConfirmed(first.email, { given_name: "Second" });
    expect(secondSub).not.toBe(first.sub);
    const second = await srpSignIn(first.email, PASSWORD);
    const profile = await api(target, "GET", "/me", { token: second.idToken });
    expect(profile).toMatchObject({
      status: 200,
      body: { userId: secondSub, email: first.email, firstName: "Second", lastName: null },
    });
    expect((await api(target, "GET", "/me", { token: first.idToken })).status).toBe(404);
    expect(Object.keys((await rawItem(target, first.sub)) ?? {}).sort()).toEqual(MARKER_KEYS);
  });
});
