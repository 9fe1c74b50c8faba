import { describe, expect, it } from "vitest";
import { Account } from "../src/account";
import { Profile } from "../src/profile";
import { useAccountFixture, visibleCode } from "./account-fixture";
import { activeProfile, newProfile } from "./profiles";

const { rawItem, request, store, confirmedUser, withProfile, expectMarker, userExists } =
  useAccountFixture();

describe("Account.remove", () => {
  it("leaves only a marker without email or names, deletes the user, and answers later reads with 404", async () => {
    const { caller, email } = await withProfile();
    const before = Date.now();
    await Account.remove(request().deps, caller);

    const marker = await expectMarker(caller.userId);
    expect(JSON.stringify(marker)).not.toContain(email);
    expect(JSON.stringify(marker)).not.toContain("Lovelace");
    const expiresAt = Number(marker?.ExpiresAt?.N) * 1000;
    expect(expiresAt).toBeGreaterThanOrEqual(
      before + Account.DELETION_MARKER_SECONDS * 1000 - 1000,
    );
    expect(Account.DELETION_MARKER_SECONDS).toBeGreaterThan(60 * 60);
    expect(await userExists(caller.userId)).toBe(false);

    expect(await visibleCode(Account.profile(request().deps, caller))).toBe("account_not_found");
    expect(
      await visibleCode(Account.updateProfile(request().deps, caller, { firstName: "Back" })),
    ).toBe("account_not_found");
    await expectMarker(caller.userId);
  });

  it("is idempotent: a second call succeeds and keeps the marker", async () => {
    const { caller } = await withProfile();
    await Account.remove(request().deps, caller);
    await Account.remove(request().deps, caller);
    await expectMarker(caller.userId);
  });

  it("never deletes a user-pool user whose sub is not the caller's", async () => {
    const victim = await withProfile();
    const attacker = await withProfile();
    const forged = { userId: attacker.caller.userId, username: victim.caller.username };
    const attempt = request();
    await expect(Account.remove(attempt.deps, forged)).rejects.toThrow(/does not match/);
    expect(attempt.cognito.calls).not.toContain("AdminDeleteUserCommand");
    expect(await userExists(victim.caller.userId)).toBe(true);
    expect(await activeProfile(store(), victim.caller.userId)).toMatchObject({
      lastName: "Lovelace",
    });
  });

  it("heals on retry when deleting the user fails after the marker: no personal data in between", async () => {
    const { caller } = await withProfile();
    const first = request();
    first.cognito.failNext("AdminDeleteUserCommand", new Error("Rate exceeded"));
    await expect(Account.remove(first.deps, caller)).rejects.toThrow("Rate exceeded");
    await expectMarker(caller.userId);
    expect(await userExists(caller.userId)).toBe(true);
    // The still-existing user's token is valid: the profile stays gone.
    expect(await visibleCode(Account.profile(request().deps, caller))).toBe("account_not_found");
    await expectMarker(caller.userId);

    await Account.remove(request().deps, caller);
    expect(await userExists(caller.userId)).toBe(false);
    await expectMarker(caller.userId);
  });

  it("changes nothing when the marker cannot be written, so a retry starts over", async () => {
    const { caller } = await withProfile();
    const before = await rawItem(caller.userId);
    const first = request();
    first.table.failNext("PutCommand", new Error("Throughput exceeded"));
    await expect(Account.remove(first.deps, caller)).rejects.toThrow("Throughput exceeded");
    expect(first.cognito.calls).toEqual([]);
    expect(await rawItem(caller.userId)).toEqual(before);
    expect(await userExists(caller.userId)).toBe(true);

    await Account.remove(request().deps, caller);
    await expectMarker(caller.userId);
    expect(await userExists(caller.userId)).toBe(false);
  });
});

describe("Account.remove, observed", () => {
  it("logs `account deleted` with the user id only, so operators can count deletions", async () => {
    const { caller, email } = await withProfile();
    const lines: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      return true;
    }) as typeof process.stdout.write;
    try {
      await Account.remove(request().deps, caller);
    } finally {
      process.stdout.write = write;
    }
    const logged = lines.filter((line) => line.startsWith("{")).map((line) => JSON.parse(line));
    expect(logged).toEqual([{ level: "info", message: "account deleted", userId: caller.userId }]);
    expect(lines.join("\n")).not.toContain(email);
  });

  it("two DELETEs racing (two tabs) both succeed: the one that finds the user already gone is not an error", async () => {
    const { caller } = await withProfile();
    const first = request();
    const afterLookup = first.cognito.hold("AdminGetUserCommand", "after");
    const deleting = Account.remove(first.deps, caller);
    await afterLookup.reached;

    await Account.remove(request().deps, caller);
    afterLookup.release();

    await expect(deleting).resolves.toBeUndefined();
    expect(first.cognito.calls).toContain("AdminDeleteUserCommand");
    expect(await userExists(caller.userId)).toBe(false);
    await expectMarker(caller.userId);
  });

  it("does not skip deleting the user when the pool fails to answer who it is: it fails, and the retry finishes", async () => {
    const { caller } = await withProfile();
    const first = request();
    first.cognito.failNext(
      "AdminGetUserCommand",
      Object.assign(new Error("Rate exceeded"), { name: "TooManyRequestsException" }),
    );
    await expect(Account.remove(first.deps, caller)).rejects.toThrow("Rate exceeded");
    expect(await userExists(caller.userId)).toBe(true);
    await expectMarker(caller.userId);

    await Account.remove(request().deps, caller);
    expect(await userExists(caller.userId)).toBe(false);
  });
});

describe("deletion racing other requests", () => {
  it("GET heals a missing profile, DELETE completes while heal holds the pool's answer: heal writes nothing", async () => {
    const { caller } = await confirmedUser({ firstName: "Race" });
    const get = request();
    const afterLookup = get.cognito.hold("AdminGetUserCommand", "after");
    const reading = Account.profile(get.deps, caller);
    await afterLookup.reached;

    await Account.remove(request().deps, caller);
    afterLookup.release();

    expect(await visibleCode(reading)).toBe("account_not_found");
    await expectMarker(caller.userId);
  });

  it("GET's heal lands before DELETE's marker: the marker replaces the healed profile", async () => {
    const { caller } = await confirmedUser({ firstName: "Race" });
    const del = request();
    const beforeMarker = del.table.hold("PutCommand", "before");
    const deleting = Account.remove(del.deps, caller);
    await beforeMarker.reached;

    expect(await Account.profile(request().deps, caller)).toMatchObject({ firstName: "Race" });
    beforeMarker.release();
    await deleting;

    await expectMarker(caller.userId);
    expect(await userExists(caller.userId)).toBe(false);
  });

  it("PATCH's update after the marker writes nothing", async () => {
    const { caller } = await withProfile();
    const patch = request();
    const beforeUpdate = patch.table.hold("UpdateCommand", "before");
    const patching = Account.updateProfile(patch.deps, caller, { firstName: "Late" });
    await beforeUpdate.reached;

    await Account.remove(request().deps, caller);
    beforeUpdate.release();

    expect(await visibleCode(patching)).toBe("account_not_found");
    const marker = await expectMarker(caller.userId);
    expect(JSON.stringify(marker)).not.toContain("Late");
  });

  it("PATCH's update before the marker is wiped by it", async () => {
    const { caller } = await withProfile();
    const del = request();
    const beforeMarker = del.table.hold("PutCommand", "before");
    const deleting = Account.remove(del.deps, caller);
    await beforeMarker.reached;

    expect(
      await Account.updateProfile(request().deps, caller, { firstName: "Early" }),
    ).toMatchObject({ firstName: "Early" });
    beforeMarker.release();
    await deleting;
    await expectMarker(caller.userId);
  });

  it("PATCH heals, DELETE completes, then PATCH's retried update finds the marker", async () => {
    const { caller } = await confirmedUser({ firstName: "Race" });
    const patch = request();
    const afterHeal = patch.table.hold("PutCommand", "after");
    const patching = Account.updateProfile(patch.deps, caller, { lastName: "Late" });
    await afterHeal.reached;

    await Account.remove(request().deps, caller);
    afterHeal.release();

    expect(await visibleCode(patching)).toBe("account_not_found");
    await expectMarker(caller.userId);
  });

  it("PATCH on a missing profile races GET's heal: the change is still applied, not lost", async () => {
    const { caller } = await confirmedUser({ firstName: "Before" });
    const patch = request();
    // The update found no item; before PATCH reads why, GET heals the profile.
    const beforeRead = patch.table.hold("GetCommand", "before");
    const patching = Account.updateProfile(patch.deps, caller, { firstName: "After" });
    await beforeRead.reached;

    expect(await Account.profile(request().deps, caller)).toMatchObject({ firstName: "Before" });
    beforeRead.release();

    expect(await patching).toMatchObject({ firstName: "After" });
    expect((await rawItem(caller.userId))?.firstName).toEqual({ S: "After" });
  });

  it("PATCH's heal holds the pool's answer while DELETE completes: nothing is created", async () => {
    const { caller } = await confirmedUser({ lastName: "Race" });
    const patch = request();
    const afterLookup = patch.cognito.hold("AdminGetUserCommand", "after");
    const patching = Account.updateProfile(patch.deps, caller, { firstName: "Late" });
    await afterLookup.reached;

    await Account.remove(request().deps, caller);
    afterLookup.release();

    expect(await visibleCode(patching)).toBe("account_not_found");
    await expectMarker(caller.userId);
  });

  it("a Post Confirmation retry arriving after the deletion cannot recreate the profile", async () => {
    const { caller, email } = await withProfile();
    await Account.remove(request().deps, caller);
    expect(
      await Profile.create(store(), newProfile(caller.userId, email, { firstName: "Again" })),
    ).toBe(false);
    await expectMarker(caller.userId);
  });
});

describe("after the marker expires", () => {
  const later = () => new Date(Date.now() + (Account.DELETION_MARKER_SECONDS + 60) * 1000);

  it("a deleted user's request finds no user and writes nothing (TTL deletes the marker)", async () => {
    const { caller } = await withProfile();
    await Account.remove(request().deps, caller);
    const marker = await rawItem(caller.userId);

    expect(await visibleCode(Account.profile(request(later).deps, caller))).toBe(
      "account_not_found",
    );
    expect(
      await visibleCode(Account.updateProfile(request(later).deps, caller, { firstName: "X" })),
    ).toBe("account_not_found");
    expect(await rawItem(caller.userId)).toEqual(marker);
  });

  it("a user whose deletion never finished gets a profile rebuilt from the pool", async () => {
    const { caller } = await withProfile({ firstName: "Still", lastName: "Here" });
    const failed = request();
    failed.cognito.failNext("AdminDeleteUserCommand", new Error("Service unavailable"));
    await expect(Account.remove(failed.deps, caller)).rejects.toThrow();

    expect(await Account.profile(request(later).deps, caller)).toMatchObject({
      userId: caller.userId,
      firstName: "Still",
      lastName: "Here",
    });
    expect(Object.keys((await rawItem(caller.userId)) ?? {})).not.toContain("DeletedAt");
  });
});
