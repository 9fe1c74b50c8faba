import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { classify, profileItem, poolUser as user } from "./findings";

describe("Reconcile.Classifier", () => {
  it("sorts users and rows into missing, orphan, drift and unconfirmed", () => {
    const healthy = user();
    const missing = user();
    const adminCreated = user({ status: "FORCE_CHANGE_PASSWORD", emailVerified: false });
    const drifted = user();
    const unverifiedChange = user({ emailVerified: false });
    const unconfirmed = user({ status: "UNCONFIRMED", emailVerified: false });
    const unconfirmedWithRow = user({ status: "UNCONFIRMED" });
    const orphanId = randomUUID();
    const items = [
      profileItem(healthy.userId, healthy.email as string),
      profileItem(drifted.userId, "old@example.com"),
      profileItem(unverifiedChange.userId, "before@example.com"),
      profileItem(unconfirmedWithRow.userId, "u@example.com"),
      profileItem(orphanId, "orphan@example.com"),
    ];
    const findings = classify(items, [
      healthy,
      missing,
      adminCreated,
      drifted,
      unverifiedChange,
      unconfirmed,
      unconfirmedWithRow,
    ]);
    expect(findings.usersScanned).toBe(7);
    expect(findings.profilesScanned).toBe(5);
    expect(findings.missing.map((u) => u.userId)).toEqual([missing.userId, adminCreated.userId]);
    expect(findings.orphans).toEqual([{ userId: orphanId, email: "orphan@example.com" }]);
    expect(findings.drift).toEqual([
      { userId: drifted.userId, from: "old@example.com", to: drifted.email },
    ]);
    expect(findings.unconfirmed).toEqual([unconfirmed.userId, unconfirmedWithRow.userId]);
  });

  it("counts a user listed twice (a shifting page boundary) once, with or without a row", () => {
    const repeated = user();
    const withRow = user();
    const findings = classify(
      [profileItem(withRow.userId, "old@example.com")],
      [repeated, withRow, { ...repeated }, { ...withRow }],
    );
    expect(findings.usersScanned).toBe(2);
    expect(findings.missing).toHaveLength(1);
    expect(findings.drift).toHaveLength(1);
  });

  it("ignores items without a key, repeated items and users without a sub", () => {
    const id = randomUUID();
    const findings = classify(
      [
        { Email: "keyless@example.com" },
        profileItem(id, "a@example.com"),
        profileItem(id, "b@example.com"),
      ],
      [user({ userId: "" })],
    );
    expect(findings).toMatchObject({ profilesScanned: 1, usersScanned: 0, missing: [] });
    expect(findings.orphans).toEqual([{ userId: id, email: "a@example.com" }]);
  });

  it("treats a live deletion marker as neither a profile nor an orphan, an expired one as nothing", () => {
    const now = new Date("2026-03-01T00:00:00.000Z");
    const marker = (userId: string, expiresInSeconds: number) => ({
      UserID: userId,
      DeletedAt: "2026-02-28T23:00:00.000Z",
      ExpiresAt: Math.floor(now.getTime() / 1000) + expiresInSeconds,
    });
    const deleting = user();
    const expired = user();
    const goneId = randomUUID();
    const findings = classify(
      [marker(deleting.userId, 3600), marker(expired.userId, -1), marker(goneId, 3600)],
      [deleting, expired],
      now,
    );
    expect(findings.profilesScanned).toBe(0);
    expect(findings.orphans).toEqual([]);
    expect(findings.missing.map((u) => u.userId)).toEqual([expired.userId]);
  });

  it("never takes a live deletion marker for a profile, even one that still holds an email", () => {
    const now = new Date("2026-03-01T00:00:00.000Z");
    const deleting = user({ email: "new@example.com" });
    const goneId = randomUUID();
    // Not what markDeleted writes, but what a hand edit or an older release could leave.
    const markerWithEmail = (userId: string) => ({
      UserID: userId,
      Email: "old@example.com",
      DeletedAt: "2026-02-28T23:00:00.000Z",
      ExpiresAt: Math.floor(now.getTime() / 1000) + 3600,
    });
    const findings = classify(
      [markerWithEmail(deleting.userId), markerWithEmail(goneId)],
      [deleting],
      now,
    );
    expect(findings).toMatchObject({ profilesScanned: 0, missing: [], orphans: [], drift: [] });
  });

  it("finds no drift for a user whose email reads as empty, even if marked verified", () => {
    const withoutEmail = user({ email: undefined, emailVerified: true });
    const findings = classify(
      [profileItem(withoutEmail.userId, "kept@example.com")],
      [withoutEmail],
    );
    expect(findings).toMatchObject({ usersScanned: 1, drift: [], missing: [], orphans: [] });
  });

  it("treats an item without an email as no profile, yet not as missing or orphan", () => {
    const deleting = user();
    const items = [
      { UserID: deleting.userId },
      { UserID: randomUUID() },
      { Email: "no-key@example.com" },
    ];
    const findings = classify(items, [deleting]);
    expect(findings).toMatchObject({ profilesScanned: 0, missing: [], orphans: [], drift: [] });
  });
});
