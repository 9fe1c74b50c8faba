import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** Where the user pool and the Users table of one deployment are. */
export interface Target {
  /** For the report: "local stack", "stage production", "outputs ./stage.json". */
  description: string;
  region: string;
  userPoolId: string;
  usersTable: string;
  /** Set for emulators; the AWS SDK's default endpoints otherwise. */
  cognitoEndpoint?: string;
  dynamodbEndpoint?: string;
  /** Emulators take any credentials; a deployed stage uses the caller's own. */
  credentials: "local" | "default-chain";
}

/** An error the operator can act on; its message is the whole story. */
export class TargetError extends Error {
  override name = "TargetError";
}

type Outputs = Record<string, unknown>;

/** A region in a user pool id: `eu-west-1_AbCdEf123`. */
const regionOfPool = (userPoolId: string) => /^([a-z]{2}(?:-[a-z]+)+-\d+)_/.exec(userPoolId)?.[1];

export function targetFromOutputs(outputs: Outputs, description: string): Target {
  const text = (key: string) => {
    const value = outputs[key];
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  const userPoolId = text("userPoolId");
  const usersTable = text("usersTable");
  const missing = [
    ["userPoolId", userPoolId],
    ["usersTable", usersTable],
  ].filter(([, value]) => !value);
  if (!userPoolId || !usersTable) {
    throw new TargetError(
      `The outputs of ${description} lack ${missing.map(([key]) => `"${key}"`).join(" and ")}.`,
    );
  }
  const region = text("region") ?? regionOfPool(userPoolId);
  if (!region) throw new TargetError(`The outputs of ${description} lack "region".`);
  const cognitoEndpoint = text("cognitoEndpoint");
  const dynamodbEndpoint = text("dynamodbEndpoint");
  const local = cognitoEndpoint !== undefined || dynamodbEndpoint !== undefined;
  return {
    description,
    region,
    userPoolId,
    usersTable,
    ...(cognitoEndpoint ? { cognitoEndpoint } : {}),
    ...(dynamodbEndpoint ? { dynamodbEndpoint } : {}),
    credentials: local ? "local" : "default-chain",
  };
}

async function readOutputsFile(file: string): Promise<Outputs> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new TargetError(`No outputs file at ${file}.`);
    }
    throw new TargetError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error();
    return parsed as Outputs;
  } catch {
    throw new TargetError(`${file} is not a JSON object of outputs.`);
  }
}

/**
 * The local stack `pnpm dev:local` runs: it writes its outputs (`.local/outputs.json`, or
 * LOCAL_OUTPUTS_FILE) when ready and removes them on stop.
 */
export async function localTarget(): Promise<Target> {
  const file = process.env.LOCAL_OUTPUTS_FILE || join(repoRoot, ".local", "outputs.json");
  try {
    return targetFromOutputs(await readOutputsFile(file), "the local stack");
  } catch (error) {
    if (error instanceof TargetError && error.message.startsWith("No outputs file")) {
      throw new TargetError(
        `The local stack is not running (no ${file}). Start it with \`pnpm dev:local\`, or target a deployed stage with --stage <name> or --outputs <file>.`,
      );
    }
    throw error;
  }
}

export async function fileTarget(file: string): Promise<Target> {
  const path = resolve(process.env.INIT_CWD ?? process.cwd(), file);
  return targetFromOutputs(await readOutputsFile(path), file);
}

/**
 * Writes what `sst shell` puts in the environment of the command it runs:
 * each linked resource as SST_RESOURCE_<name> (JSON) and the stage's region.
 */
const PRINT_LINKS = `require("node:fs").writeFileSync(process.argv[1], JSON.stringify({
  app: process.env.SST_RESOURCE_App, table: process.env.SST_RESOURCE_UsersTable,
  pool: process.env.SST_RESOURCE_UserPool, region: process.env.AWS_REGION }))`;

/**
 * A deployed stage, read with `sst shell --stage <name>`: SST loads that
 * stage's state with the caller's AWS credentials and exposes its linked
 * resources, so this works from any checkout, with nothing saved from the
 * deploy. (`.sst/outputs.json` holds whichever stage was deployed last from
 * this checkout, without saying which; --outputs takes such a file.)
 */
export async function stageTarget(stage: string, signal?: AbortSignal): Promise<Target> {
  const sst = process.env.SST_BIN || join(repoRoot, "node_modules", ".bin", "sst");
  const dir = await mkdtemp(join(tmpdir(), "reconcile-stage-"));
  const file = join(dir, "links.json");
  try {
    const exitCode = await new Promise<number | null>((done, fail) => {
      const child = spawn(
        sst,
        ["shell", "--stage", stage, "--", process.execPath, "-e", PRINT_LINKS, file],
        // SST's own messages go to stderr: stdout is reserved for the report.
        { cwd: repoRoot, stdio: ["ignore", process.stderr, "inherit"], signal },
      );
      child.once("error", fail);
      child.once("exit", done);
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.name === "AbortError") throw error;
      throw new TargetError(`Cannot run the SST CLI (${sst}): ${error.code ?? error.message}.`);
    });
    if (exitCode !== 0) {
      throw new TargetError(
        `\`sst shell --stage ${stage}\` failed (exit ${exitCode}); its message is above. It needs AWS credentials that can read the stage's state.`,
      );
    }
    const links = (await readOutputsFile(file)) as Record<string, string | undefined>;
    const parse = (json: string | undefined) =>
      json ? (JSON.parse(json) as Record<string, unknown>) : undefined;
    const app = parse(links.app);
    if (app && app.stage !== stage) {
      throw new TargetError(`sst shell answered for stage "${app.stage}", not "${stage}".`);
    }
    const table = parse(links.table);
    const pool = parse(links.pool);
    if (!table || !pool) {
      throw new TargetError(
        `Stage "${stage}" has no UsersTable or UserPool link: is it deployed from this app?`,
      );
    }
    return targetFromOutputs(
      {
        usersTable: table.name,
        userPoolId: pool.id,
        region: (typeof pool.id === "string" && regionOfPool(pool.id)) || links.region,
      },
      `stage ${stage}`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
