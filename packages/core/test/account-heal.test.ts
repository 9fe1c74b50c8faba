import { randomUUID } from "node:crypto";
import { failure } from "@userprofile/local/testing";
import { describe, expect, it } from "vitest";
import { Account } from "../src/account";
import { useAccountFixture, visibleCode } from "./account-fixture";
import { captureLogs } from "./logs";

const { rawItem, request, confirmedUser, withProfile } = useAccountFixture();

describe("healing", () => {
  it("rebuilds a missing profile from the pool, logging `profile healed` with the user id only", async () => {
    const { caller, email } = await confirmedUser({ firstName: "Orphan", lastName: "Annie" });
    const logs = captureLogs();
    try {
      expect(await Account.profile(request().deps, caller)).toMatchObject({
        email,
        firstName: "Orphan",
        lastName: "Annie",
      });
      await Account.profile(request().deps, caller);
    } finally {
      logs.restore();
    }
    // Only the app's JSON lines: a runtime warning may land on stderr too.
    const logged = logs.lines
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line));
    expect(logged).toEqual([{ level: "info", message: "profile healed", userId: caller.userId }]);
  });

  it("logs one `profile healed` when two requests heal the same profile at once", async () => {
    const { caller } = await confirmedUser({ firstName: "Twice" });
    const logs = captureLogs();
    try {
      const slow = request();
      const beforeCreate = slow.table.hold("PutCommand", "before");
      const healing = Account.profile(slow.deps, caller);
      await beforeCreate.reached;
      await Account.profile(request().deps, caller);
      beforeCreate.release();
      expect(await healing).toMatchObject({ firstName: "Twice" });
    } finally {
      logs.restore();
    }
    const healed = logs.lines.filter((line) => line.includes('"profile healed"'));
    expect(healed).toHaveLength(1);
  });

  it("cleans the pool's names by the name rule instead of failing", async () => {
    const { caller } = await confirmedUser({
      firstName: "\u202EAda\u0000",
      lastName: `${"x".repeat(49)}😀`,
    });
    expect(await Account.profile(request().deps, caller)).toMatchObject({
      firstName: "Ada",
      lastName: `${"x".repeat(49)}😀`,
    });
  });

  it("refuses a token whose username belongs to another user", async () => {
    const victim = await withProfile();
    const caller = { userId: randomUUID(), username: victim.caller.username };
    await expect(Account.profile(request().deps, caller)).rejects.toThrow(/does not match/);
    expect(await rawItem(caller.userId)).toBeUndefined();
  });

  it("answers 404 for a user the pool no longer has", async () => {
    const caller = { userId: randomUUID(), username: randomUUID() };
    expect(await visibleCode(Account.profile(request().deps, caller))).toBe("account_not_found");
    expect((await failure(Account.profile(request().deps, caller))).message).toBe(
      "This account no longer exists.",
    );
  });
});
