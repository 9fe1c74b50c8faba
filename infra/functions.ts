import { functionDeployDefaults } from "@userprofile/functions/definitions";

/** How long function and API access logs are kept; never "forever" (billed per GB-month). */
export const logRetention = "1 month";

/**
 * Defaults for every function in the app (see `functionDeployDefaults`). JSON
 * logs let CloudWatch query the fields our structured log lines carry.
 */
$transform(sst.aws.Function, (args) => {
  args.runtime ??= functionDeployDefaults.runtime;
  args.architecture ??= functionDeployDefaults.architecture;
  args.logging ??= { format: "json", retention: logRetention };
  args.nodejs = $output(args.nodejs).apply((nodejs) => ({
    ...nodejs,
    minify: nodejs?.minify ?? functionDeployDefaults.nodejs.minify,
  }));
  if (!$dev) {
    // SST 4.17.1 also trusts the account root outside `sst dev` (it tests a
    // Pulumi Output for truthiness), so any principal allowed sts:AssumeRole
    // could act as a function. Only Lambda may assume a deployed function's role.
    args.transform = {
      ...args.transform,
      role: (roleArgs) => {
        roleArgs.assumeRolePolicy = aws.iam.assumeRolePolicyForPrincipal({
          Service: "lambda.amazonaws.com",
        });
      },
    };
  }
});
