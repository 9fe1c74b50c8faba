import type { Services } from "./context";
import { CognitoError } from "./errors";
import type { Pool } from "./pool";
import { eventBase, responseOf, runTrigger } from "./triggers";

export interface PreSignUpOutcome {
  autoConfirmUser: boolean;
  autoVerifyEmail: boolean;
  autoVerifyPhone: boolean;
}

/**
 * Pre sign-up, before the user exists: an error stops the sign-up (nothing is
 * stored). On SignUp the reply may confirm the user and verify its email or
 * phone number; on AdminCreateUser Cognito ignores those three fields.
 */
export async function preSignUp(
  services: Services,
  pool: Pool,
  source: "PreSignUp_SignUp" | "PreSignUp_AdminCreateUser",
  request: {
    username: string;
    attributes: Record<string, string>;
    validationData: Record<string, string> | undefined;
    clientMetadata: Record<string, string> | undefined;
    clientId: string | undefined;
  },
): Promise<PreSignUpOutcome> {
  const none = { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };
  const event = {
    ...eventBase(services, pool, source, request.username, request.clientId),
    request: {
      userAttributes: request.attributes,
      validationData: request.validationData ?? null,
      ...(request.clientMetadata ? { clientMetadata: request.clientMetadata } : {}),
    },
    response: none,
  };
  const reply = await runTrigger(services, pool, "PreSignUp", event);
  if (!reply || source === "PreSignUp_AdminCreateUser") return none;
  const response = responseOf(reply);
  const outcome = {
    autoConfirmUser: response.autoConfirmUser === true,
    autoVerifyEmail: response.autoVerifyEmail === true,
    autoVerifyPhone: response.autoVerifyPhone === true,
  };
  for (const [flag, attribute] of [
    ["autoVerifyEmail", "email"],
    ["autoVerifyPhone", "phone_number"],
  ] as const) {
    if (outcome[flag] && !request.attributes[attribute]) {
      throw new CognitoError(
        "InvalidLambdaResponseException",
        `Invalid lambda function output : ${flag} is true but the user has no ${attribute}`,
      );
    }
  }
  return outcome;
}
