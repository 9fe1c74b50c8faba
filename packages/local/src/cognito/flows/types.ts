import type { UserPoolClientSpec } from "../../spec";
import type { Services } from "../context";
import type { Pool } from "../pool";

export type Parameters = Record<string, string | undefined>;

/** One InitiateAuth / AdminInitiateAuth call, or one answer to a challenge. */
export interface AuthCall {
  services: Services;
  pool: Pool;
  client: UserPoolClientSpec;
  /** AdminInitiateAuth / AdminRespondToAuthChallenge. */
  admin: boolean;
  parameters: Parameters;
  clientMetadata: Record<string, string> | undefined;
  /** InitiateAuth's `Session`: ConfirmSignUp's, for signing in right after sign-up. */
  session?: string;
}

export type AuthResult =
  | {
      ChallengeName: string;
      ChallengeParameters: Record<string, string>;
      Session?: string;
      AvailableChallenges?: string[];
    }
  | { ChallengeParameters: Record<string, never>; AuthenticationResult: Record<string, unknown> };

/**
 * A sign-in flow (`AuthFlow`): the client setting it needs and what it does
 * on the first call. A flow that continues with a challenge returns one; the
 * challenge's module answers the next call.
 */
export interface AuthFlow {
  names: string[];
  /** The ExplicitAuthFlows entry a client needs for it. */
  permission: string;
  /** Which API serves it: InitiateAuth (user), AdminInitiateAuth (admin), or both. */
  api: "user" | "admin" | "both";
  start(call: AuthCall): Promise<AuthResult>;
}

/** A challenge (`ChallengeName`) and how an answer to it is checked. */
export interface AuthChallenge {
  name: string;
  respond(call: AuthCall, session: string | undefined): Promise<AuthResult>;
}
