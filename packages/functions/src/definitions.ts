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
 * How every function is deployed: infra/functions.ts applies these to each
 * `sst.aws.Function` and the bench builds its bundles with them, so the two
 * cannot drift. SST 4.17 leaves bundles unminified unless `nodejs.minify` is
 * set (its Go build reads a plain bool; the component docs' "default true" is
 * applied nowhere); minified bundles are ~0.4× the size and cheaper to parse.
 */
export const functionDeployDefaults = {
  runtime: "nodejs24.x",
  // arm64 costs ~20% less than x86 per GB-second and nothing here needs x86.
  architecture: "arm64",
  nodejs: { minify: true },
} as const;

/**
 * What the trigger logs as `outcome` on its "post confirmation" line; infra counts each one
 * with a CloudWatch metric filter on `$.outcome`. A failure is not an outcome: it throws, and
 * Lambda's Errors metric (alarmed in infra/monitoring.ts) counts it.
 */
export const postConfirmationOutcomes = ["created", "already-existed", "skipped"] as const;
export type PostConfirmationOutcome = (typeof postConfirmationOutcomes)[number];
