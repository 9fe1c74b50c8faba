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
