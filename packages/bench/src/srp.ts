import { createHash, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { srp } from "@userprofile/local/testing";

const { createChallenge, modPow, paddedHex, poolName, srpGroup, verifyPasswordClaim } = srp;

import { type Summary, summarize } from "./stats";

const { N, g } = srpGroup;
const hashHex = (hex: string) => createHash("sha256").update(Buffer.from(hex, "hex")).digest("hex");
const big = (hex: string) => BigInt(`0x${hex}`);
const k = big(hashHex(paddedHex(N) + paddedHex(g)));

/**
 * What Amplify's client does between the pool's challenge and its answer,
 * kept out of the timed part: the bench measures only the pool's side.
 */
export function passwordClaim(
  pool: string,
  userId: string,
  password: string,
  a: bigint,
  A: bigint,
  challenge: { salt: string; srpB: string; secretBlock: string },
) {
  const B = big(challenge.srpB);
  const u = big(hashHex(paddedHex(A) + paddedHex(B)));
  const identity = createHash("sha256").update(`${pool}${userId}:${password}`).digest("hex");
  const x = big(hashHex(paddedHex(big(challenge.salt)) + identity));
  const S = modPow(B - k * modPow(g, x), a + u * x);
  const key = Buffer.from(
    hkdfSync(
      "sha256",
      Buffer.from(paddedHex(S), "hex"),
      Buffer.from(paddedHex(u), "hex"),
      "Caldera Derived Key",
      16,
    ),
  );
  const timestamp = "Mon Jan 5 10:00:00 UTC 2026";
  const signature = createHmac("sha256", key)
    .update(pool)
    .update(userId)
    .update(Buffer.from(challenge.secretBlock, "base64"))
    .update(timestamp)
    .digest("base64");
  return { srpA: A.toString(16), timestamp, signature };
}

export interface SrpSignIns {
  challengeMs: Summary;
  verifyMs: Summary;
  totalMs: Summary;
  /** CPU time (user + system) per sign-in, averaged: steadier than wall time on a loaded machine. */
  cpuMsPerSignIn: number;
}

export interface SrpPoolSide {
  /** A user's first sign-in since the pool started: the verifier is computed. */
  first: SrpSignIns;
  /** The same user again: the pool reuses the verifier it cached. */
  repeat: SrpSignIns;
}

function signIns() {
  const challengeMs: number[] = [];
  const verifyMs: number[] = [];
  let cpuMicros = 0;
  return {
    add(challenge: number, verify: number, cpu: NodeJS.CpuUsage) {
      challengeMs.push(challenge);
      verifyMs.push(verify);
      cpuMicros += cpu.user + cpu.system;
    },
    summary(): SrpSignIns {
      return {
        challengeMs: summarize(challengeMs),
        verifyMs: summarize(verifyMs),
        totalMs: summarize(challengeMs.map((ms, i) => ms + (verifyMs[i] as number))),
        cpuMsPerSignIn: cpuMicros / 1000 / challengeMs.length,
      };
    },
  };
}

/**
 * The user pool's share of one SRP sign-in: createChallenge (InitiateAuth)
 * plus verifyPasswordClaim (RespondToAuthChallenge), called directly, so
 * neither HTTP nor Amplify's client math is counted. First and repeated
 * sign-ins alternate.
 */
export function srpPoolSide(iterations: number): SrpPoolSide {
  const pool = poolName("us-east-1_BenchPool");
  const password = "Bench-Passw0rd!";
  const a = big(randomBytes(32).toString("hex"));
  const A = modPow(g, a);
  const first = signIns();
  const repeat = signIns();
  const regular = "3f1c2b9e-0d4a-4e0b-9a57-6c1f0e2d8b44";
  const warmup = Math.min(20, Math.ceil(iterations / 5));
  for (let i = 0; i < 2 * (warmup + iterations); i++) {
    const isFirst = i % 2 === 0;
    const userId = isFirst ? `bench-user-${i}-${randomBytes(4).toString("hex")}` : regular;
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    const challenge = createChallenge(pool, userId, password);
    const challenged = performance.now();
    const cpuChallenge = process.cpuUsage(cpuStart);
    const claim = passwordClaim(pool, userId, password, a, A, challenge);
    const cpuVerifyStart = process.cpuUsage();
    const verifyStarted = performance.now();
    const valid = verifyPasswordClaim(pool, userId, challenge, claim);
    const verified = performance.now();
    const cpu = process.cpuUsage(cpuVerifyStart);
    if (!valid) throw new Error("The pool refused a correct SRP password claim");
    if (i < 2 * warmup) continue;
    cpu.user += cpuChallenge.user;
    cpu.system += cpuChallenge.system;
    (isFirst ? first : repeat).add(challenged - started, verified - verifyStarted, cpu);
  }
  return { first: first.summary(), repeat: repeat.summary() };
}
