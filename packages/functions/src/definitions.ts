/**
 * What a function's role may do: actions on the Users table and on the user
 * pool. Infra deploys exactly these grants, and the local stack enforces the
 * same ones, so a missing grant fails locally before it fails on AWS.
 */
export interface FunctionGrants {
  table: ReadonlyArray<"GetItem" | "PutItem" | "UpdateItem" | "DeleteItem">;
  userPool: ReadonlyArray<"AdminGetUser" | "AdminDeleteUser">;
}

export interface PermissionStatement<Resource> {
  actions: string[];
  resources: Resource[];
}

/**
 * Grants as IAM statements: `dynamodb:*` actions on the table, `cognito-idp:*`
 * actions on the pool. `Resource` is a Pulumi output in infra and an ARN
 * string in the local stack.
 */
export function permissionsFor<Resource>(
  grants: FunctionGrants,
  resources: { table: Resource; userPool?: Resource },
): PermissionStatement<Resource>[] {
  if (grants.userPool.length && resources.userPool === undefined) {
    throw new Error("User-pool grants need the pool's ARN; a wildcard would grant every pool.");
  }
  return [
    ...(grants.table.length
      ? [
          {
            actions: grants.table.map((action) => `dynamodb:${action}`),
            resources: [resources.table],
          },
        ]
      : []),
    ...(grants.userPool.length
      ? [
          {
            actions: grants.userPool.map((action) => `cognito-idp:${action}`),
            resources: [resources.userPool as Resource],
          },
        ]
      : []),
  ];
}

/** Function settings shared by infra and the local Lambda service. */
export const postConfirmationFunction = {
  handler: "packages/functions/src/cognito/post-confirmation.handler",
  // Cognito gives up after 5 s and retries; a longer timeout would only hide failures.
  timeoutSeconds: 5,
  // CPU scales with memory, so 1 GB buys a faster cold start; one run per sign-up keeps it cheap.
  memoryMB: 1024,
  // One conditional put per confirmation: it never reads, updates or deletes.
  grants: { table: ["PutItem"], userPool: [] },
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
