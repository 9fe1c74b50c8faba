import type { UserPoolClientSpec } from "../../spec";
import type { Services } from "../context";
import { invalidParameter, missing } from "../errors";
import { type AuthCall, challengeFor, flowFor } from "../flows/index";
import type { Parameters } from "../flows/types";
import {
  checkSecretHash,
  clientMetadata,
  optionalString,
  type Request,
  requiredString,
} from "../input";
import type { Pool } from "../pool";
import { refreshTokens } from "../tokens";

function parameters(value: unknown, field: string): Parameters {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value))
    throw invalidParameter(`${field} must be a map of strings.`);
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      typeof v === "string" ? v : undefined,
    ]),
  );
}

function call(
  services: Services,
  pool: Pool,
  client: UserPoolClientSpec,
  admin: boolean,
  req: Request,
  field: string,
  session?: string,
): AuthCall {
  const values = parameters(req[field], field);
  const name = values.USERNAME;
  if (name !== undefined) checkSecretHash(client, name, values.SECRET_HASH);
  return {
    services,
    pool,
    client,
    admin,
    parameters: values,
    clientMetadata: clientMetadata(req),
    ...(session === undefined ? {} : { session }),
  };
}

/** An admin call's client must belong to the pool it names. */
function adminClient(services: Services, req: Request) {
  const pool = services.pools.pool(req.UserPoolId);
  return { pool, client: services.pools.client(req.ClientId, pool.id).client };
}

export const authOperations = {
  async InitiateAuth(services: Services, req: Request) {
    const { pool, client } = services.pools.client(requiredString(req, "ClientId", "clientId"));
    if (req.AuthFlow === undefined) throw missing("authFlow");
    const flow = flowFor(client, req.AuthFlow, false);
    return flow.start(
      call(services, pool, client, false, req, "AuthParameters", optionalString(req, "Session")),
    );
  },

  async AdminInitiateAuth(services: Services, req: Request) {
    const { pool, client } = adminClient(services, req);
    if (req.AuthFlow === undefined) throw missing("authFlow");
    const flow = flowFor(client, req.AuthFlow, true);
    return flow.start(
      call(services, pool, client, true, req, "AuthParameters", optionalString(req, "Session")),
    );
  },

  async RespondToAuthChallenge(services: Services, req: Request) {
    const { pool, client } = services.pools.client(requiredString(req, "ClientId", "clientId"));
    const challenge = challengeFor(requiredString(req, "ChallengeName", "challengeName"));
    return challenge.respond(
      call(services, pool, client, false, req, "ChallengeResponses"),
      optionalString(req, "Session"),
    );
  },

  async AdminRespondToAuthChallenge(services: Services, req: Request) {
    const { pool, client } = adminClient(services, req);
    const challenge = challengeFor(requiredString(req, "ChallengeName", "challengeName"));
    return challenge.respond(
      call(services, pool, client, true, req, "ChallengeResponses"),
      optionalString(req, "Session"),
    );
  },

  async GetTokensFromRefreshToken(services: Services, req: Request) {
    const { pool, client } = services.pools.client(requiredString(req, "ClientId", "clientId"));
    flowFor(client, "REFRESH_TOKEN_AUTH", false);
    const token = requiredString(req, "RefreshToken", "refreshToken");
    return {
      AuthenticationResult: await refreshTokens(services, pool, client, token, clientMetadata(req)),
    };
  },
};
