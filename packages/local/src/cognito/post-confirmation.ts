import type { Services } from "./context";
import type { Pool } from "./pool";
import { eventBase, runTrigger } from "./triggers";
import type { StoredUser } from "./user";

export type PostConfirmationSource =
  | "PostConfirmation_ConfirmSignUp"
  | "PostConfirmation_ConfirmForgotPassword";

/**
 * Post confirmation, after the change stands (the user is saved CONFIRMED,
 * or with the new password): a failure reaches the caller while the
 * confirmation stays, as on AWS.
 */
export async function postConfirmation(
  services: Services,
  pool: Pool,
  user: StoredUser,
  source: PostConfirmationSource,
  clientId: string | undefined,
  clientMetadata: Record<string, string> | undefined,
) {
  const event = {
    ...eventBase(services, pool, source, user.username, clientId),
    request: {
      userAttributes: { ...user.attributes, "cognito:user_status": user.status },
      ...(clientMetadata ? { clientMetadata } : {}),
    },
    response: {},
  };
  await runTrigger(services, pool, "PostConfirmation", event);
}
