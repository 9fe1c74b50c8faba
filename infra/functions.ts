/** How long function and API access logs are kept; never "forever" (billed per GB-month). */
export const logRetention = "1 month";

/**
 * Defaults for every function in the app. arm64 costs ~20% less than x86 per
 * GB-second and nothing here needs x86. JSON logs let CloudWatch query the
 * fields our structured log lines carry.
 */
$transform(sst.aws.Function, (args) => {
  args.runtime ??= "nodejs24.x";
  args.architecture ??= "arm64";
  args.logging ??= { format: "json", retention: logRetention };
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
