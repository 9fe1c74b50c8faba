import { accountId, type EvaluateOptions, type Evaluation, evaluate, region } from "./evaluate";

/** Every opt-in production setting on (docs/production.md). */
export const productionSettings = {
  SES_FROM_ADDRESS: "Example <no-reply@example.com>",
  SES_IDENTITY_ARN: `arn:aws:ses:${region}:${accountId}:identity/example.com`,
  COGNITO_PLAN: "plus",
  COGNITO_THREAT_PROTECTION: "enforced",
  APP_DOMAIN: "example.com",
  USERS_TABLE_NAME: "userprofile-production-Users-restored",
};

const started = new Map<string, Promise<Evaluation>>();

/**
 * Each stage is evaluated once per test file, when a test first asks for it; the stages a file
 * uses are evaluated side by side. A stage that fails only fails the tests that use it.
 */
function stage(key: string, options: EvaluateOptions): Promise<Evaluation> {
  let evaluation = started.get(key);
  if (!evaluation) {
    evaluation = evaluate(options);
    evaluation.catch(() => undefined);
    started.set(key, evaluation);
  }
  return evaluation;
}

export const evaluations = {
  get alice() {
    return stage("alice", { stage: "alice" });
  },
  get bob() {
    return stage("bob", { stage: "bob" });
  },
  get production() {
    return stage("production", { stage: "production" });
  },
  get aliceDev() {
    return stage("aliceDev", { stage: "alice", dev: true });
  },
  get productionConfigured() {
    return stage("productionConfigured", { stage: "production", env: productionSettings });
  },
  get aliceOnDomain() {
    return stage("aliceOnDomain", {
      stage: "alice",
      env: { APP_DOMAIN: "example.com", COGNITO_PLAN: "essentials" },
    });
  },
};
