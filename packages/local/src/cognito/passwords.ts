import { timingSafeEqual } from "node:crypto";
import type { Pool } from "./pool";
import { passwordVerifier, poolName } from "./srp";
import type { StoredPassword, StoredUser } from "./user";

/** What the pool keeps of a new password: a fresh salt and the SRP verifier. */
export function storedPassword(
  pool: Pool,
  username: string,
  password: string,
  now: number,
): StoredPassword {
  return { ...passwordVerifier(poolName(pool.id), username, password), setAt: now };
}

/** Whether a password is the user's: its verifier under the stored salt is the stored one. */
export function passwordMatches(pool: Pool, user: StoredUser, password: string): boolean {
  if (!user.password) return false;
  const { verifier } = passwordVerifier(
    poolName(pool.id),
    user.username,
    password,
    user.password.salt,
  );
  const expected = Buffer.from(user.password.verifier);
  const actual = Buffer.from(verifier);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
