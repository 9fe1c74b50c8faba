import { randomBytes } from "node:crypto";
import {
  AdminConfirmSignUpCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { modPow, poolName, srpGroup } from "@userprofile/local/cognito/srp";
import { passwordClaim } from "./srp";
import { benchEmail, confirm, PASSWORD, type StackHandle, signUp, srpSignIn } from "./stack";
import { type Summary, summarize } from "./stats";

export interface PoolLevel {
  /** Users in the pool when measured. */
  users: number;
  /** ConfirmSignUp with the emailed code, the Post confirmation trigger included. */
  confirmMs: Summary;
  /** Amplify v6's SRP signIn (InitiateAuth + RespondToAuthChallenge, client math included). */
  signInMs: Summary;
  /** The same two calls with the client's math left out of the timing: the pool's share. */
  poolSignInMs: Summary;
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
  const { userPoolId } = h.stack.outputs;
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
  const { userPoolId, userPoolClientId: ClientId } = h.stack.outputs;
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

/** One user after another: sign up, confirm with the code, sign in with SRP twice (all timed). */
async function measure(h: StackHandle, users: number, samples: number): Promise<PoolLevel> {
  const confirms: number[] = [];
  const signIns: number[] = [];
  const poolSignIns: number[] = [];
  for (let i = 0; i < samples; i++) {
    const email = benchEmail("scale");
    await signUp(h, email);
    confirms.push(await confirm(h, email));
    const started = performance.now();
    await srpSignIn(email);
    signIns.push(performance.now() - started);
    poolSignIns.push(await poolSideSignIn(h, email));
  }
  return {
    users,
    confirmMs: summarize(confirms),
    signInMs: summarize(signIns),
    poolSignInMs: summarize(poolSignIns),
  };
}

/**
 * The user pool at growing sizes, through its public API only: an empty
 * pool, then seeded to each size in `sizes`, measuring ConfirmSignUp and an
 * SRP sign-in at each level. The measuring users count towards the next level.
 */
export async function poolScale(
  h: StackHandle,
  sizes: number[],
  samples: number,
  parallel = 16,
): Promise<PoolScale> {
  // Unmeasured rounds first, so the trigger's worker, the SDK clients and the JIT are warm.
  const warmup = 10;
  await measure(h, 0, warmup);
  let users = warmup;
  const levels = [await measure(h, users, samples)];
  users += samples;
  const seeding: PoolScale["seeding"] = [];
  for (const size of sizes) {
    const started = performance.now();
    await seed(h, users, size, parallel);
    const seconds = (performance.now() - started) / 1000;
    seeding.push({ from: users, to: size, seconds, usersPerSecond: (size - users) / seconds });
    users = size;
    // Measured at rest, not while LevelDB still compacts the burst of writes in the background.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    levels.push(await measure(h, users, samples));
    users += samples;
  }
  return { levels, seeding, parallel };
}

export { PASSWORD };
