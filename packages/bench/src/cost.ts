import {
  type CognitoPlan,
  cognitoPlans,
  parseCognitoPlan,
  parseSignInMethods,
  planFor,
} from "@userprofile/core/user-pool";
import { apiFunctionDefaults, postConfirmationFunction } from "@userprofile/functions/definitions";

/**
 * us-east-1 list prices as published on the AWS pricing pages in 2025 (not
 * re-checked from this offline machine; verify before budgeting).
 */
export const PRICES = {
  asOf: "2025 (AWS pricing pages, us-east-1)",
  lambdaRequest: 0.2 / 1e6,
  /** arm64, first 7.5 billion GB-s a month. INIT time is billed too since 1 Aug 2025. */
  lambdaArmGbSecond: 0.0000133334,
  /** On-demand, after the November 2024 price cut. */
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  /** HTTP API, first 300 million requests a month. */
  httpApiRequest: 1.0 / 1e6,
  /**
   * Cognito user pools, per monthly active user, by feature plan: marginal tiers of
   * [first MAU of the tier, price per MAU]. Lite and Essentials include 10,000 free MAUs;
   * Plus has no free tier.
   */
  cognitoMau: {
    LITE: [
      [0, 0],
      [10_000, 0.0055],
      [100_000, 0.0046],
      [1_000_000, 0.00325],
      [10_000_000, 0.0025],
    ],
    ESSENTIALS: [
      [0, 0],
      [10_000, 0.015],
    ],
    PLUS: [[0, 0.02]],
  } satisfies Record<CognitoPlan, [number, number][]>,
};

/** A month's Cognito bill for `maus` monthly active users on `plan`. */
export function cognitoMonthly(plan: CognitoPlan, maus: number) {
  const tiers = PRICES.cognitoMau[plan];
  return tiers.reduce((total, [from, price], i) => {
    const to = tiers[i + 1]?.[0] ?? Number.POSITIVE_INFINITY;
    return total + Math.max(0, Math.min(maus, to) - from) * price;
  }, 0);
}

export interface CostInputs {
  triggerColdMs: number;
  triggerWarmMs: number;
  readColdMs: number;
  readWarmMs: number;
}

const billedSeconds = (ms: number) => Math.ceil(ms) / 1000;

/**
 * One sign-up: one trigger invocation (1 GB) and one conditional PutItem of an
 * item under 1 KB (1 WRU). One profile read: one HTTP API request, one GET /me
 * invocation (512 MB) and one strongly consistent GetItem under 4 KB (1 RRU).
 */
export function costs(
  inputs: CostInputs,
  /** The plan deploy would choose (infra/deploy-settings.ts), from the same variables. */
  cognitoPlan: CognitoPlan = parseCognitoPlan(
    process.env.COGNITO_PLAN,
    planFor(parseSignInMethods(process.env.SIGN_IN_METHODS)),
  ),
) {
  const triggerGb = postConfirmationFunction.memoryMB / 1024;
  const apiGb = apiFunctionDefaults.memoryMB / 1024;
  const signUp = (ms: number) =>
    PRICES.lambdaRequest +
    triggerGb * billedSeconds(ms) * PRICES.lambdaArmGbSecond +
    PRICES.dynamoWriteUnit;
  const read = (ms: number) =>
    PRICES.httpApiRequest +
    PRICES.lambdaRequest +
    apiGb * billedSeconds(ms) * PRICES.lambdaArmGbSecond +
    PRICES.dynamoReadUnit;
  const month = (users: number, coldShare: number) => {
    const perUser =
      coldShare * (signUp(inputs.triggerColdMs) + read(inputs.readColdMs)) +
      (1 - coldShare) * (signUp(inputs.triggerWarmMs) + read(inputs.readWarmMs));
    const cognitoByPlan = Object.fromEntries(
      cognitoPlans.map((plan) => [plan, cognitoMonthly(plan, users)]),
    ) as Record<CognitoPlan, number>;
    return {
      users,
      coldShare,
      backend: users * perUser,
      cognito: cognitoByPlan[cognitoPlan],
      cognitoByPlan,
    };
  };
  return {
    prices: PRICES,
    cognitoPlan,
    inputs,
    memory: { triggerMB: postConfirmationFunction.memoryMB, apiMB: apiFunctionDefaults.memoryMB },
    perSignUp: { cold: signUp(inputs.triggerColdMs), warm: signUp(inputs.triggerWarmMs) },
    perRead: { cold: read(inputs.readColdMs), warm: read(inputs.readWarmMs) },
    // Sparse traffic finds no warm container; at ~0.4 sign-ups a second most do.
    months: [month(1_000, 1), month(1_000_000, 0.05)],
  };
}
