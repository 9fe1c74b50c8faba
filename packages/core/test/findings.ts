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
