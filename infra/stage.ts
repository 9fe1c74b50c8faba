import { localStage, readDeploySettings } from "./deploy-settings";

/** Stages that hold real users: retained on removal and protected from deletion. */
export const permanentStages = ["production"];

export const isPermanentStage = permanentStages.includes($app.stage);

/** The stage `pnpm dev:local` serves offline, on localhost. */
export const isLocalStage = $app.stage === localStage;

/**
 * The web dev server's origins may call a stage's API under `sst dev` and in
 * developer stages; a permanent stage answers only its own site.
 */
export const allowsDevOrigins = $dev || !isPermanentStage;

/** This deploy's opt-in settings (SES email, feature plan, domains, table); see docs/production.md. */
export const settings = readDeploySettings(process.env, $app.stage);
