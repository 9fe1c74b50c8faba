/** Stages that hold real users: retained on removal and protected from deletion. */
export const permanentStages = ["production"];

export const isPermanentStage = permanentStages.includes($app.stage);
