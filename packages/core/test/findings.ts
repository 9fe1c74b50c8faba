import { randomUUID } from "node:crypto";
import type { PoolUsers } from "../src/pool-users";
import { Reconcile } from "../src/reconcile";

/** What a scan finds for these table items and pool users, read in one page each. */
export function classify(
  items: Iterable<Record<string, unknown>>,
  users: Iterable<PoolUsers.User>,
  now = new Date(),
): Reconcile.Findings {
  const classifier = new Reconcile.Classifier(now);
  classifier.addItems(items);
  classifier.addUsers(users);
  return classifier.finish();
}

/** A confirmed pool user with a verified email and no field attributes, unless overridden. */
export function poolUser(overrides: Partial<PoolUsers.User> = {}): PoolUsers.User {
  return {
    userId: randomUUID(),
    status: "CONFIRMED",
    email: `${randomUUID()}@example.com`,
    emailVerified: true,
    attributes: {},
    ...overrides,
  };
}

/** A profile item as the table holds it. */
export const profileItem = (userId: string, email: string) => ({
  UserID: userId,
  Email: email,
  CreatedAt: "2026-01-01T00:00:00.000Z",
});
