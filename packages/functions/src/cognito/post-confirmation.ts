import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { errorFields, log } from "@userprofile/core/log";
import { Profile } from "@userprofile/core/profile";
import type { PostConfirmationTriggerEvent } from "aws-lambda";
import { Resource } from "sst/resource";
import type { PostConfirmationOutcome } from "../definitions";

/**
 * Cognito waits 5 s for this trigger, then retries. Short SDK timeouts make a
 * stalled DynamoDB call fail inside that window with a logged error instead of
 * a silent Cognito timeout.
 */
const profiles = Profile.store(
  Resource.UsersTable.name,
  new DynamoDBClient({
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 1_000 },
  }),
);

/** Cognito shows this text to the user; the details go to the log. */
const FAILURE_MESSAGE =
  "Your account is confirmed, but your profile could not be saved yet. Sign in to continue.";

/** One line per invocation, counted by outcome in CloudWatch (see infra/monitoring.ts). */
function logOutcome(outcome: PostConfirmationOutcome, fields: Record<string, string | undefined>) {
  log.info("post confirmation", { outcome, ...fields });
}

export async function handler(event: PostConfirmationTriggerEvent) {
  // Every completed password reset fires this trigger too; the profile was
  // written at sign-up and must not be rewritten.
  if (event.triggerSource !== "PostConfirmation_ConfirmSignUp") {
    logOutcome("skipped", { triggerSource: event.triggerSource });
    return event;
  }
  const attributes = event.request.userAttributes;
  const userId = attributes.sub;
  try {
    if (!userId || !attributes.email) {
      throw new Error("Event lacks sub or email");
    }
    const created = await Profile.create(profiles, { userId, email: attributes.email, attributes });
    // Not created: a retry or replay found the profile (or the deleted account's marker).
    logOutcome(created ? "created" : "already-existed", { userId, userPoolId: event.userPoolId });
  } catch (error) {
    log.error("profile write failed", {
      userId,
      userPoolId: event.userPoolId,
      ...errorFields(error),
    });
    throw new Error(FAILURE_MESSAGE);
  }
  return event;
}
