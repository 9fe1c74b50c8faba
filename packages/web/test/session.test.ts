import * as auth from "aws-amplify/auth";
import { cognitoUserPoolsTokenProvider } from "aws-amplify/auth/cognito";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { AppConfig } from "../src/config";
import { endSession, REFRESH_MARGIN_MS, refreshDelay, revokeRefreshToken } from "../src/session";

vi.mock("aws-amplify/auth", () => ({ signOut: vi.fn(), fetchAuthSession: vi.fn() }));
vi.mock("aws-amplify/auth/cognito", () => ({
  cognitoUserPoolsTokenProvider: {
    authTokenStore: { loadTokens: vi.fn(), clearTokens: vi.fn() },
  },
}));

const store = vi.mocked(cognitoUserPoolsTokenProvider.authTokenStore);
const signOut = vi.mocked(auth.signOut);
const fetchAuthSession = vi.mocked(auth.fetchAuthSession);

const config: AppConfig = {
  userPoolId: "eu-west-3_Abc123",
  userPoolClientId: "client-1",
  apiUrl: "https://api.example.com",
};

type Tokens = Awaited<ReturnType<typeof store.loadTokens>>;
const tokens = (claims: Record<string, unknown>, refreshToken = "refresh-1") =>
  ({ accessToken: { payload: claims }, refreshToken }) as unknown as Tokens;

const reply = (status: number, body?: unknown, headers?: Record<string, string>) =>
  vi.fn<typeof fetch>(
    async () => new Response(body === undefined ? null : JSON.stringify(body), { status, headers }),
  );

describe("refreshDelay", () => {
  it("refreshes ahead of expiry, never in a tight loop", () => {
    const now = 1_000_000_000_000;
    const inOneHour = (now + 3_600_000) / 1000;
    expect(refreshDelay(inOneHour, now)).toBe(3_600_000 - REFRESH_MARGIN_MS);
    expect(refreshDelay(now / 1000, now)).toBe(10_000);
  });
});

describe("revokeRefreshToken", () => {
  it("calls Cognito's RevokeToken with the client id and the refresh token", async () => {
    const fetchImpl = reply(200, {});
    const outcome = await revokeRefreshToken(
      "https://cognito-idp.eu-west-3.amazonaws.com",
      "client-1",
      "refresh-1",
      fetchImpl,
    );
    expect(outcome).toBe("revoked");
    const [url, init] = fetchImpl.mock.calls[0] ?? [];
    expect(url).toBe("https://cognito-idp.eu-west-3.amazonaws.com/");
    expect(init?.method).toBe("POST");
    expect(init?.headers).toMatchObject({
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": "AWSCognitoIdentityProviderService.RevokeToken",
    });
    expect(JSON.parse(String(init?.body))).toEqual({ ClientId: "client-1", Token: "refresh-1" });
  });

  it("calls a failure worth retrying 'unreachable': network, server errors and throttling", async () => {
    const offline = vi.fn<typeof fetch>(async () => {
      throw new TypeError("Failed to fetch");
    });
    expect(await revokeRefreshToken("http://pool", "c", "t", offline)).toBe("unreachable");
    expect(await revokeRefreshToken("http://pool", "c", "t", reply(503))).toBe("unreachable");
    for (const type of [
      "TooManyRequestsException",
      "com.amazonaws.cognito#TooManyRequestsException",
      "InternalErrorException",
    ]) {
      expect(await revokeRefreshToken("http://pool", "c", "t", reply(400, { __type: type }))).toBe(
        "unreachable",
      );
    }
    const header = reply(400, undefined, {
      "x-amzn-errortype": "TooManyRequestsException:http://x",
    });
    expect(await revokeRefreshToken("http://pool", "c", "t", header)).toBe("unreachable");
  });

  it("calls a failure no retry can fix 'refused'", async () => {
    for (const type of [
      "InvalidParameterException",
      "UnauthorizedException",
      "UnsupportedOperationException",
    ]) {
      expect(await revokeRefreshToken("http://pool", "c", "t", reply(400, { __type: type }))).toBe(
        "refused",
      );
    }
  });
});

describe("endSession", () => {
  beforeEach(() => {
    signOut.mockResolvedValue();
    store.clearTokens.mockResolvedValue();
  });

  it("revokes the refresh token at the pool's endpoint, then signs out with Amplify", async () => {
    store.loadTokens.mockResolvedValue(tokens({ origin_jti: "o-1" }));
    const fetchImpl = reply(200, {});
    const local = { ...config, cognitoEndpoint: "http://127.0.0.1:9229" };
    expect(await endSession(local, { revoke: true }, fetchImpl)).toBe("signed-out");
    expect(fetchImpl.mock.calls[0]?.[0]).toBe("http://127.0.0.1:9229/");
    expect(signOut).toHaveBeenCalledTimes(1);
    expect(store.clearTokens).toHaveBeenCalled();
    expect(fetchImpl.mock.invocationCallOrder[0]).toBeLessThan(
      signOut.mock.invocationCallOrder[0] ?? 0,
    );
  });

  it("uses Cognito's regional endpoint when no local endpoint is set", async () => {
    store.loadTokens.mockResolvedValue(tokens({ origin_jti: "o-1" }));
    const fetchImpl = reply(200, {});
    await endSession(config, { revoke: true }, fetchImpl);
    expect(fetchImpl.mock.calls[0]?.[0]).toBe("https://cognito-idp.eu-west-3.amazonaws.com/");
  });

  it("keeps the session when Cognito can't be reached, so the app can say so", async () => {
    store.loadTokens.mockResolvedValue(tokens({ origin_jti: "o-1" }));
    const offline = vi.fn<typeof fetch>(async () => {
      throw new TypeError("Failed to fetch");
    });
    expect(await endSession(config, { revoke: true }, offline)).toBe("unreachable");
    expect(signOut).not.toHaveBeenCalled();
    expect(store.clearTokens).not.toHaveBeenCalled();
  });

  it("forgets the session on this device only when asked to, without calling Cognito", async () => {
    store.loadTokens.mockResolvedValue(tokens({ origin_jti: "o-1" }));
    const fetchImpl = reply(200, {});
    expect(await endSession(config, { revoke: false }, fetchImpl)).toBe("signed-out");
    expect(fetchImpl).not.toHaveBeenCalled();
    expect(signOut).toHaveBeenCalled();
  });

  it("signs out when the token can't be revoked (already invalid), or was issued without revocation", async () => {
    store.loadTokens.mockResolvedValue(tokens({ origin_jti: "o-1" }));
    expect(
      await endSession(
        config,
        { revoke: true },
        reply(400, { __type: "InvalidParameterException" }),
      ),
    ).toBe("signed-out");
    store.loadTokens.mockResolvedValue(tokens({}));
    const fetchImpl = reply(200, {});
    expect(await endSession(config, { revoke: true }, fetchImpl)).toBe("signed-out");
    expect(fetchImpl).not.toHaveBeenCalled();
    store.loadTokens.mockResolvedValue(null);
    expect(await endSession(config, { revoke: true }, fetchImpl)).toBe("signed-out");
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it("reports a failure to clear this device's tokens instead of claiming success", async () => {
    store.loadTokens.mockResolvedValue(tokens({ origin_jti: "o-1" }));
    store.clearTokens.mockRejectedValue(new Error("storage unavailable"));
    expect(await endSession(config, { revoke: true }, reply(200, {}))).toBe("failed");
    signOut.mockRejectedValue(new Error("AuthTokenConfigException"));
    expect(await endSession(config, { revoke: false })).toBe("failed");
  });

  it("signs out of every device with GlobalSignOut and a fresh access token", async () => {
    store.loadTokens.mockResolvedValue(tokens({ origin_jti: "o-1" }));
    fetchAuthSession.mockResolvedValue({
      tokens: { accessToken: { toString: () => "access-fresh" } },
    } as Awaited<ReturnType<typeof auth.fetchAuthSession>>);
    const fetchImpl = reply(200, {});
    expect(await endSession(config, { revoke: true, everywhere: true }, fetchImpl)).toBe(
      "signed-out",
    );
    const init = fetchImpl.mock.calls[0]?.[1];
    expect(new Headers(init?.headers).get("x-amz-target")).toBe(
      "AWSCognitoIdentityProviderService.GlobalSignOut",
    );
    expect(JSON.parse(String(init?.body))).toEqual({ AccessToken: "access-fresh" });
    expect(signOut).toHaveBeenCalledTimes(1);
  });

  it("keeps the session when GlobalSignOut fails, and says why", async () => {
    store.loadTokens.mockResolvedValue(tokens({ origin_jti: "o-1" }));
    fetchAuthSession.mockResolvedValue({
      tokens: { accessToken: { toString: () => "access-fresh" } },
    } as Awaited<ReturnType<typeof auth.fetchAuthSession>>);
    expect(
      await endSession(
        config,
        { revoke: true, everywhere: true },
        reply(400, { __type: "NotAuthorizedException" }),
      ),
    ).toBe("failed");
    expect(await endSession(config, { revoke: true, everywhere: true }, reply(503, {}))).toBe(
      "unreachable",
    );
    fetchAuthSession.mockResolvedValue({} as Awaited<ReturnType<typeof auth.fetchAuthSession>>);
    expect(await endSession(config, { revoke: true, everywhere: true }, reply(200, {}))).toBe(
      "failed",
    );
    expect(signOut).not.toHaveBeenCalled();
    expect(store.clearTokens).not.toHaveBeenCalled();
  });
});
