import type { UserPoolClientSpec } from "../spec";
import type { Services } from "./context";
import type { Pool } from "./pool";
import { eventBase, responseOf, runTrigger } from "./triggers";
import type { StoredUser } from "./user";

/** When Cognito generates tokens (the trigger's `triggerSource`). */
export type TokenSource =
  | "TokenGeneration_Authentication"
  | "TokenGeneration_RefreshTokens"
  | "TokenGeneration_NewPasswordChallenge"
  | "TokenGeneration_HostedAuth"
  | "TokenGeneration_AuthenticateDevice";

export type Claims = Record<string, unknown>;

/** Claims the trigger may not add, change or suppress (the Pre token generation page). */
const FIXED = new Set([
  "acr",
  "amr",
  "aud",
  "at_hash",
  "auth_time",
  "azp",
  "cognito:username",
  "exp",
  "iat",
  "identities",
  "iss",
  "jti",
  "nbf",
  "nonce",
  "origin_jti",
  "sub",
  "token_use",
]);
/** In an access token also these, which say whose token it is and what it may do. */
const FIXED_IN_ACCESS = new Set([...FIXED, "client_id", "username", "scope", "event_id"]);
/** Changed only through groupOverrideDetails. */
const GROUP_CLAIMS = new Set(["cognito:groups", "cognito:roles", "cognito:preferred_role"]);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const strings = (value: unknown) =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

function applyClaims(
  services: Services,
  claims: Claims,
  change: unknown,
  fixed: Set<string>,
  token: string,
) {
  if (!isRecord(change)) return;
  const refused = (name: string) => {
    if (!fixed.has(name) && !GROUP_CLAIMS.has(name)) return false;
    services.log(
      `cognito: PreTokenGeneration may not change ${name} in the ${token} token; ignored`,
    );
    return true;
  };
  if (isRecord(change.claimsToAddOrOverride)) {
    for (const [name, value] of Object.entries(change.claimsToAddOrOverride)) {
      if (!refused(name)) claims[name] = value;
    }
  }
  for (const name of strings(change.claimsToSuppress)) {
    if (!refused(name)) delete claims[name];
  }
}

function applyGroups(claims: Claims[], details: unknown) {
  if (details === undefined) return;
  const groups = isRecord(details) ? strings(details.groupsToOverride) : [];
  const roles = isRecord(details) ? strings(details.iamRolesToOverride) : [];
  const preferred = isRecord(details) ? details.preferredRole : undefined;
  for (const token of claims) {
    for (const name of GROUP_CLAIMS) delete token[name];
    if (groups.length > 0) token["cognito:groups"] = groups;
    if (roles.length > 0) token["cognito:roles"] = roles;
    if (typeof preferred === "string") token["cognito:preferred_role"] = preferred;
  }
}

/**
 * Pre token generation: the pool's event version decides what the function
 * sees and may change. V1_0 changes the ID token's claims and both tokens'
 * groups (`claimsOverrideDetails`); V2_0 and V3_0 (the same for a user's
 * sign-in) change both tokens and the access token's scopes
 * (`claimsAndScopeOverrideDetails`). Claims Cognito keeps fixed are left as
 * they are. A failing function fails the sign-in or refresh.
 */
export async function preTokenGeneration(
  services: Services,
  pool: Pool,
  input: {
    user: StoredUser;
    client: UserPoolClientSpec;
    source: TokenSource;
    groups: string[];
    id: Claims;
    access: Claims;
    readable: Record<string, string>;
    clientMetadata: Record<string, string> | undefined;
  },
): Promise<void> {
  if (!pool.spec.triggers.PreTokenGeneration) return;
  const version = pool.spec.preTokenGenerationVersion ?? "V1_0";
  const v1 = version === "V1_0";
  const scopes = String(input.access.scope ?? "")
    .split(" ")
    .filter(Boolean);
  const event = {
    ...eventBase(
      services,
      pool,
      input.source,
      input.user.username,
      input.client.id,
      v1 ? "1" : version === "V2_0" ? "2" : "3",
    ),
    request: {
      userAttributes: { ...input.readable, "cognito:user_status": input.user.status },
      groupConfiguration: {
        groupsToOverride: input.groups,
        iamRolesToOverride: [],
        preferredRole: null,
      },
      ...(v1 ? {} : { scopes }),
      ...(input.clientMetadata ? { clientMetadata: input.clientMetadata } : {}),
    },
    response: v1 ? { claimsOverrideDetails: null } : { claimsAndScopeOverrideDetails: null },
  };
  const response = responseOf(await runTrigger(services, pool, "PreTokenGeneration", event));
  if (v1) {
    const details = response.claimsOverrideDetails;
    if (!isRecord(details)) return;
    applyClaims(services, input.id, details, FIXED, "ID");
    applyGroups([input.id, input.access], details.groupOverrideDetails);
    return;
  }
  const details = response.claimsAndScopeOverrideDetails;
  if (!isRecord(details)) return;
  applyClaims(services, input.id, details.idTokenGeneration, FIXED, "ID");
  const access = details.accessTokenGeneration;
  applyClaims(services, input.access, access, FIXED_IN_ACCESS, "access");
  if (isRecord(access)) {
    const suppressed = new Set(strings(access.scopesToSuppress));
    const next = [...new Set([...scopes, ...strings(access.scopesToAdd)])].filter(
      (scope) => !suppressed.has(scope),
    );
    input.access.scope = next.join(" ");
  }
  applyGroups([input.id, input.access], details.groupOverrideDetails);
}
