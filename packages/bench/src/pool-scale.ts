import { AdminConfirmSignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import { benchEmail, confirm, PASSWORD, type StackHandle, signUp, srpSignIn } from "./stack";
import { type Summary, summarize } from "./stats";

export interface PoolLevel {
  /** Users in the pool when measured. */
  users: number;
  /** ConfirmSignUp with the emailed code, the Post confirmation trigger included. */
  confirmMs: Summary;
  /** Amplify v6's SRP signIn (InitiateAuth + RespondToAuthChallenge, client math included). */
  signInMs: Summary;
}

export interface PoolScale {
  levels: PoolLevel[];
  /** Seeding from one level to the next: SignUp + AdminConfirmSignUp, `parallel` at a time. */
  seeding: { from: number; to: number; seconds: number; usersPerSecond: number }[];
  parallel: number;
}

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

/** One user after another: sign up, confirm with the code (timed), sign in with SRP (timed). */
async function measure(h: StackHandle, users: number, samples: number): Promise<PoolLevel> {
  const confirms: number[] = [];
  const signIns: number[] = [];
  for (let i = 0; i < samples; i++) {
    const email = benchEmail("scale");
    await signUp(h, email);
    confirms.push(await confirm(h, email));
    const started = performance.now();
    await srpSignIn(email);
    signIns.push(performance.now() - started);
  }
  return { users, confirmMs: summarize(confirms), signInMs: summarize(signIns) };
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
    levels.push(await measure(h, users, samples));
    users += samples;
  }
  return { levels, seeding, parallel };
}

export { PASSWORD };
