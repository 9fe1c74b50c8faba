import { localDir, outputsFile, repoRoot } from "./paths";

function port(variable: string, fallback: number) {
  const value = process.env[variable];
  if (value === undefined || value === "") return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
    throw new Error(`${variable} must be a port number, got "${value}".`);
  }
  return parsed;
}

/** Every setting of the local stack, with the environment variable that overrides it. */
export function localConfig() {
  return {
    /** The project whose sst.config.ts the stack serves. */
    root: process.env.LOCAL_PROJECT_ROOT || repoRoot,
    /** The stage sst.config.ts is evaluated for (`$app.stage`), as `sst dev --stage local`. */
    stage: process.env.LOCAL_STAGE || "local",
    region: process.env.LOCAL_REGION || "us-east-1",
    host: "127.0.0.1",
    ports: {
      dynamodb: port("LOCAL_DYNAMODB_PORT", 8000),
      cognito: port("LOCAL_COGNITO_PORT", 9229),
      lambda: port("LOCAL_LAMBDA_PORT", 9001),
      api: port("LOCAL_API_PORT", 3000),
      mailbox: port("LOCAL_MAILBOX_PORT", 9300),
      web: port("LOCAL_WEB_PORT", 5173),
      control: port("LOCAL_CONTROL_PORT", 9400),
    },
    /** Set to "false" to run only the backend (tests that don't need the browser app). */
    web: process.env.LOCAL_WEB !== "false",
    dataDir: process.env.LOCAL_DATA_DIR || `${localDir}/data`,
    /** Written when the stack is ready, removed when it stops; null writes none. */
    outputsFile: (process.env.LOCAL_OUTPUTS_FILE || outputsFile) as string | null,
    buildDir: `${localDir}/build`,
    /** Evaluations of sst.config.ts, reused while their inputs are unchanged. */
    cacheDir: process.env.LOCAL_CACHE_DIR || `${localDir}/cache`,
    /** Re-evaluate the app and apply the change when an infra file is saved. */
    watchInfra: process.env.LOCAL_WATCH !== "false",
  };
}

export type LocalConfig = ReturnType<typeof localConfig>;

/** Free ports, backend only, data in `dataDir`, no outputs file: a stack beside others (tests, bench). */
export function ephemeralConfig(dataDir: string): LocalConfig {
  return {
    root: repoRoot,
    stage: "local",
    region: "us-east-1",
    host: "127.0.0.1",
    ports: { dynamodb: 0, cognito: 0, lambda: 0, api: 0, mailbox: 0, web: 0, control: 0 },
    web: false,
    dataDir,
    buildDir: `${dataDir}/build`,
    cacheDir: `${localDir}/cache`,
    outputsFile: null,
    watchInfra: false,
  };
}
