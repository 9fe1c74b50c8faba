/**
 * Defaults for every function in the app. arm64 costs ~20% less than x86 per
 * GB-second and nothing here needs x86. JSON logs let CloudWatch query the
 * fields our structured log lines carry.
 */
$transform(sst.aws.Function, (args) => {
  args.runtime ??= "nodejs24.x";
  args.architecture ??= "arm64";
  args.logging ??= { format: "json" };
});

export {};
