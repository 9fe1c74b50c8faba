/**
 * The local stack's public entry: start the offline stack for a project, and read the
 * outputs of one that is running. Its test fixtures are in `@userprofile/local/testing`.
 */
export { ephemeralConfig, type LocalConfig, localConfig } from "./config";
export { type LocalOutputs, readLiveOutputs, readOutputs } from "./outputs-file";
export type * from "./spec";
export {
  EvaluationError,
  type LocalStack,
  type LocalStackOptions,
  startLocalStack,
  UnservableAppError,
} from "./stack/index";
