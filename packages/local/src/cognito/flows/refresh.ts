import { invalidParameter } from "../errors";
import { refreshTokens } from "../tokens";
import type { AuthFlow } from "./types";

/** REFRESH_TOKEN_AUTH (or REFRESH_TOKEN): new ID and access tokens in the same session. */
export const refreshTokenAuth: AuthFlow = {
  names: ["REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"],
  permission: "ALLOW_REFRESH_TOKEN_AUTH",
  api: "both",
  async start(call) {
    const token = call.parameters.REFRESH_TOKEN;
    if (!token) throw invalidParameter("Missing required parameter REFRESH_TOKEN");
    const AuthenticationResult = await refreshTokens(
      call.services,
      call.pool,
      call.client,
      token,
      call.clientMetadata,
    );
    return { ChallengeParameters: {}, AuthenticationResult };
  },
};
