import type { UserPoolClientSpec } from "../../spec";
import { invalidParameter } from "../errors";
import { emailOtp } from "./email-otp";
import { newPasswordRequired } from "./new-password";
import { adminUserPasswordAuth, userPasswordAuth } from "./password";
import { refreshTokenAuth } from "./refresh";
import { softwareTokenMfa } from "./software-token";
import { passwordVerifier, userSrpAuth } from "./srp";
import type { AuthChallenge, AuthFlow } from "./types";
import { selectChallengeAnswer, userAuth } from "./user-auth";
import { webAuthnAnswer } from "./web-authn";

export type { AuthCall, AuthResult } from "./types";

/** Every sign-in flow the pool serves; a new flow is one more module here. */
const FLOWS: AuthFlow[] = [
  userSrpAuth,
  userPasswordAuth,
  adminUserPasswordAuth,
  refreshTokenAuth,
  userAuth,
];
/** Every challenge, one module each. */
const CHALLENGES: AuthChallenge[] = [
  passwordVerifier,
  newPasswordRequired,
  selectChallengeAnswer,
  emailOtp,
  webAuthnAnswer,
  softwareTokenMfa,
];

/** The legacy names of the ALLOW_ settings, which a client may still carry. */
const LEGACY_FLOW_NAMES: Record<string, string> = {
  ADMIN_NO_SRP_AUTH: "ALLOW_ADMIN_USER_PASSWORD_AUTH",
  USER_PASSWORD_AUTH: "ALLOW_USER_PASSWORD_AUTH",
  CUSTOM_AUTH_FLOW_ONLY: "ALLOW_CUSTOM_AUTH",
};
/** What a client allows when ExplicitAuthFlows is empty (Cognito's documented default). */
const DEFAULT_FLOWS = ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"];

export function allowedFlows(client: UserPoolClientSpec): string[] {
  if (client.explicitAuthFlows.length === 0) return DEFAULT_FLOWS;
  return client.explicitAuthFlows.map((flow) => LEGACY_FLOW_NAMES[flow] ?? flow);
}

/** The flow an AuthFlow names, if this API serves it and the client allows it. */
export function flowFor(client: UserPoolClientSpec, name: unknown, admin: boolean): AuthFlow {
  const flow = FLOWS.find(
    (f) =>
      f.names.includes(String(name)) && (f.api === "both" || f.api === (admin ? "admin" : "user")),
  );
  if (!flow) throw invalidParameter(`Unsupported auth flow ${String(name)}`);
  if (!allowedFlows(client).includes(flow.permission)) {
    throw invalidParameter(
      admin
        ? "Auth flow not enabled for this client"
        : `${String(name)} flow not enabled for this client`,
    );
  }
  return flow;
}

export function challengeFor(name: unknown): AuthChallenge {
  const challenge = CHALLENGES.find((c) => c.name === name);
  if (!challenge) throw invalidParameter(`Unsupported challenge ${String(name)}`);
  return challenge;
}
