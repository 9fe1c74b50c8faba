/** Function settings shared by infra and the local Lambda service. */
export const postConfirmationFunction = {
  handler: "packages/functions/src/cognito/post-confirmation.handler",
  // Cognito gives up after 5 s and retries; a longer timeout would only hide failures.
  timeoutSeconds: 5,
  // CPU scales with memory, so 1 GB buys a faster cold start; one run per sign-up keeps it cheap.
  memoryMB: 1024,
} as const;

export const apiFunctionDefaults = {
  timeoutSeconds: 10,
  memoryMB: 512,
} as const;

/**
 * What the trigger logs as `outcome` on its "post confirmation" line; infra counts each one
 * with a CloudWatch metric filter on `$.outcome`. A failure is not an outcome: it throws, and
 * Lambda's Errors metric (alarmed in infra/monitoring.ts) counts it.
 */
export const postConfirmationOutcomes = ["created", "already-existed", "skipped"] as const;
export type PostConfirmationOutcome = (typeof postConfirmationOutcomes)[number];
