import { randomBytes } from "node:crypto";
import {
  AdminConfirmSignUpCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { configureAmplifyInNode, srp } from "@userprofile/local/testing";
import { passwordClaim } from "./srp";
import { benchEmail, confirm, PASSWORD, type StackHandle, signUp, srpSignIn } from "./stack";
import { type Summary, summarize } from "./stats";

const { modPow, poolName, srpGroup } = srp;

export interface PoolTimes {
  /** Users in the pool when measured. */
  users: number;
  /** ConfirmSignUp with the emailed code, the Post confirmation trigger included. */
  confirmMs: Summary;
  /** Amplify v6's SRP signIn (InitiateAuth + RespondToAuthChallenge, client math included). */
  signInMs: Summary;
  /** The same two calls with the client's math left out of the timing: the pool's share. */
  poolSignInMs: Summary;
}

/** One level: the seeded pool, and an empty pool measured in the same rounds, alternately. */
export interface PoolLevel extends PoolTimes {
  empty: PoolTimes;
}

export interface PoolScale {
  levels: PoolLevel[];
  /** Seeding from one level to the next: SignUp + AdminConfirmSignUp, `parallel` at a time. */
  seeding: { from: number; to: number; seconds: number; usersPerSecond: number }[];
  parallel: number;
}

/** The pause between seeding a level and measuring it. */
const SETTLE_MS = 3_000;

/** Signs up and confirms (as an administrator) users until the pool holds `total`. */
async function seed(h: StackHandle, from: number, total: number, parallel: number) {
  let next = from;
  const { userPoolId } = h.outputs;
  const worker = async () => {
    while (next < total) {
      next += 1;
      const email = benchEmail("seed");
      await signUp(h, email);
      await h.cognito.send(
        new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: email }),
      );
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/** USER_SRP_AUTH through the SDK, timing only the two calls (the client's math is not the pool's). */
async function poolSideSignIn(h: StackHandle, email: string) {
  const { userPoolId, userPoolClientId: ClientId } = h.outputs;
  const a = BigInt(`0x${randomBytes(32).toString("hex")}`);
  const A = modPow(srpGroup.g, a);
  let started = performance.now();
  const challenge = await h.cognito.send(
    new InitiateAuthCommand({
      ClientId,
      AuthFlow: "USER_SRP_AUTH",
      AuthParameters: { USERNAME: email, SRP_A: A.toString(16) },
    }),
  );
  let elapsed = performance.now() - started;
  const parameters = challenge.ChallengeParameters ?? {};
  const userId = parameters.USER_ID_FOR_SRP as string;
  const claim = passwordClaim(poolName(userPoolId), userId, PASSWORD, a, A, {
    salt: parameters.SALT as string,
    srpB: parameters.SRP_B as string,
    secretBlock: parameters.SECRET_BLOCK as string,
  });
  started = performance.now();
  const result = await h.cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId,
      ChallengeName: "PASSWORD_VERIFIER",
      ChallengeResponses: {
        USERNAME: userId,
        PASSWORD_CLAIM_SECRET_BLOCK: parameters.SECRET_BLOCK as string,
        PASSWORD_CLAIM_SIGNATURE: claim.signature,
        TIMESTAMP: claim.timestamp,
      },
    }),
  );
  elapsed += performance.now() - started;
  if (!result.AuthenticationResult?.IdToken) throw new Error("SRP sign-in gave no tokens");
  return elapsed;
}

/** One sample: sign up, confirm with the code, sign in with SRP twice (all timed). */
async function sample(
  h: StackHandle,
  into: { confirm: number[]; signIn: number[]; pool: number[] },
) {
  configureAmplifyInNode(h.outputs);
  const email = benchEmail("scale");
  await signUp(h, email);
  into.confirm.push(await confirm(h, email));
  const started = performance.now();
  await srpSignIn(email);
  into.signIn.push(performance.now() - started);
  into.pool.push(await poolSideSignIn(h, email));
}

const times = (users: number, t: { confirm: number[]; signIn: number[]; pool: number[] }) => ({
  users,
  confirmMs: summarize(t.confirm),
  signInMs: summarize(t.signIn),
  poolSignInMs: summarize(t.pool),
});

/**
 * Samples on the seeded pool and on an empty one, alternating, so that the
 * machine's load (shared, here) weighs on both alike.
 */
async function measure(
  seeded: StackHandle,
  users: number,
  empty: StackHandle,
  emptyUsers: number,
  samples: number,
): Promise<PoolLevel> {
  const a = { confirm: [], signIn: [], pool: [] };
  const b = { confirm: [], signIn: [], pool: [] };
  for (let i = 0; i < samples; i++) {
    await sample(seeded, a);
    await sample(empty, b);
  }
  return { ...times(users, a), empty: times(emptyUsers, b) };
}

/**
 * The user pool at growing sizes, through its public API only: a pool (in
 * its own local stack) seeded to each size in `sizes`, measuring
 * ConfirmSignUp and an SRP sign-in at each level beside a pool that stays
 * (nearly) empty. The measuring users count towards the next level.
 */
export async function poolScale(
  h: StackHandle,
  empty: StackHandle,
  sizes: number[],
  samples: number,
  parallel = 16,
): Promise<PoolScale> {
  // Unmeasured rounds first, so the triggers' workers, the SDK clients and the JIT are warm.
  const warmup = 10;
  await measure(h, 0, empty, 0, warmup);
  let users = warmup;
  let emptyUsers = warmup;
  const levels = [await measure(h, users, empty, emptyUsers, samples)];
  users += samples;
  emptyUsers += samples;
  const seeding: PoolScale["seeding"] = [];
  for (const size of sizes) {
    const started = performance.now();
    await seed(h, users, size, parallel);
    const seconds = (performance.now() - started) / 1000;
    seeding.push({ from: users, to: size, seconds, usersPerSecond: (size - users) / seconds });
    users = size;
    // Measured at rest, not while LevelDB still compacts the burst of writes in the background.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    levels.push(await measure(h, users, empty, emptyUsers, samples));
    users += samples;
    emptyUsers += samples;
  }
  return { levels, seeding, parallel };
}

export { PASSWORD };
