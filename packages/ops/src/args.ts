import { parseArgs } from "node:util";

export const USAGE = `Usage: pnpm -s users:reconcile [--apply [--prune]] [--json] [--verbose] [--stage <name> | --outputs <file>]

Compares the user pool with the Users table and reports confirmed users without a
profile, profiles without a user, profiles whose email is not the user's verified
email, and unconfirmed users. A dry run unless --apply is given.

  --apply            create missing profiles and update drifted emails (conditional writes)
  --prune            with --apply: also delete profiles whose user no longer exists
  --json             print one JSON object of counts on stdout, nothing else
  --verbose          also list the user ids (subs) in each group; never emails or names
  --stage <name>     a deployed stage: its outputs via \`sst shell\`, your AWS credentials
  --outputs <file>   a JSON file of outputs (region, userPoolId, usersTable[, endpoints])
  -h, --help         this text

Without --stage or --outputs it targets the local stack (.local/outputs.json).
Exit status: 0 no drift remains, 1 drift remains, 2 error, 130 interrupted.
See docs/reconcile.md.`;

export interface Options {
  apply: boolean;
  prune: boolean;
  json: boolean;
  verbose: boolean;
  stage?: string;
  outputs?: string;
  help: boolean;
}

export class UsageError extends Error {
  override name = "UsageError";
}

/** SST stage names: letters, digits and hyphens. */
const STAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

export function parseOptions(argv: string[]): Options {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const options: Options = {
    apply: values.apply ?? false,
    prune: values.prune ?? false,
    json: values.json ?? false,
    verbose: values.verbose ?? false,
    help: values.help ?? false,
  };
  if (values.stage !== undefined) options.stage = values.stage;
  if (values.outputs !== undefined) options.outputs = values.outputs;
  if (options.help) return options;
  if (options.prune && !options.apply) {
    throw new UsageError(
      "--prune deletes profiles, so it only runs with --apply (a dry run never writes). Use --apply --prune.",
    );
  }
  if (options.stage !== undefined && options.outputs !== undefined) {
    throw new UsageError("Give either --stage or --outputs, not both.");
  }
  if (options.stage !== undefined && !STAGE_NAME.test(options.stage)) {
    throw new UsageError(`"${options.stage}" is not a stage name (letters, digits and hyphens).`);
  }
  if (options.outputs === "") throw new UsageError("--outputs needs a file path.");
  return options;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      apply: { type: "boolean" },
      prune: { type: "boolean" },
      json: { type: "boolean" },
      verbose: { type: "boolean" },
      stage: { type: "string" },
      outputs: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}
