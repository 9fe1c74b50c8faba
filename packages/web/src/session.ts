import { type AuthModule, auth } from "./amplify";
import { type AppConfig, userPoolEndpoint } from "./config";

/** The ID token, refreshed first if it is about to expire (or if asked): what the API gets. */
export async function currentIdToken(forceRefresh = false): Promise<string | undefined> {
  const { fetchAuthSession } = await auth();
  const session = await fetchAuthSession({ forceRefresh });
  return session.tokens?.idToken?.toString();
}

/** How long before expiry the tokens are refreshed, so no request carries an expired one. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

export function refreshDelay(expiresAtSeconds: number, now = Date.now()): number {
  return Math.max(10_000, expiresAtSeconds * 1000 - REFRESH_MARGIN_MS - now);
}

/**
 * Keeps the tokens fresh while the page is open: Amplify refreshes lazily on
 * use, so without this a tab left open would find an expired token first.
 * `onExpired` runs when a refresh fails for a reason other than the network.
 */
export function keepSessionFresh(onExpired: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  async function schedule(forceRefresh: boolean) {
    try {
      const { fetchAuthSession } = await auth();
      const session = await fetchAuthSession({ forceRefresh });
      const exp = session.tokens?.idToken?.payload.exp;
      if (stopped) return;
      if (exp === undefined) return onExpired();
      timer = setTimeout(() => schedule(true), refreshDelay(exp));
    } catch (error) {
      if (stopped) return;
      if ((error as { name?: string }).name === "NetworkError") {
        timer = setTimeout(() => schedule(true), 30_000);
        return;
      }
      onExpired();
    }
  }

  void schedule(false);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

export type RevokeOutcome = "revoked" | "unreachable" | "refused";

/** Errors after which the same call can succeed later. */
const RETRY_LATER = new Set(["InternalErrorException", "TooManyRequestsException"]);

/**
 * One call to the user pool's API, past Amplify (which ignores the failures
 * of the two calls made this way). "refused" means retrying can't help.
 */
async function callUserPool(
  endpoint: string,
  operation: "RevokeToken" | "GlobalSignOut",
  body: Record<string, string>,
  fetchImpl: typeof fetch,
): Promise<"ok" | "unreachable" | "refused"> {
  let response: Response;
  try {
    response = await fetchImpl(`${endpoint}/`, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
      },
      body: JSON.stringify(body),
      cache: "no-store",
    });
  } catch {
    return "unreachable";
  }
  if (response.ok) return "ok";
  if (response.status >= 500) return "unreachable";
  let type = response.headers.get("x-amzn-errortype") ?? "";
  try {
    type = ((await response.json()) as { __type?: string }).__type ?? type;
  } catch {}
  // The header reads "Name:detail", the body's __type "namespace#Name" or "Name".
  const name = type.split(":")[0]?.split("#").at(-1) ?? "";
  return RETRY_LATER.has(name) ? "unreachable" : "refused";
}

/**
 * Cognito's RevokeToken, which ends a refresh token and the access tokens
 * issued from it. "refused" means retrying can't help: the token is already
 * invalid, or this client may not revoke.
 */
export async function revokeRefreshToken(
  endpoint: string,
  clientId: string,
  refreshToken: string,
  fetchImpl: typeof fetch = (...args) => fetch(...args),
): Promise<RevokeOutcome> {
  const outcome = await callUserPool(
    endpoint,
    "RevokeToken",
    { ClientId: clientId, Token: refreshToken },
    fetchImpl,
  );
  return outcome === "ok" ? "revoked" : outcome;
}

export type SignOutResult = "signed-out" | "unreachable" | "failed";

/**
 * Signs out: revokes the session at Cognito, then forgets it on this device.
 * Amplify's signOut() revokes too, but ignores a failed revocation and clears
 * the tokens anyway, so the app would say "signed out" while the refresh
 * token still works; revoking first lets it say so instead ("unreachable").
 * With `revoke: false` the session is only forgotten here, for a person who
 * chooses that when Cognito can't be reached. With `everywhere`, every
 * session of the user ends (GlobalSignOut), not only this one.
 */
export async function endSession(
  config: AppConfig,
  { revoke, everywhere = false }: { revoke: boolean; everywhere?: boolean },
  fetchImpl: typeof fetch = (...args) => fetch(...args),
): Promise<SignOutResult> {
  let amplify: AuthModule;
  try {
    amplify = await auth();
  } catch {
    return "unreachable";
  }
  const { cognitoUserPoolsTokenProvider, fetchAuthSession, signOut } = amplify;
  const store = cognitoUserPoolsTokenProvider.authTokenStore;
  if (revoke) {
    const tokens = await store.loadTokens().catch(() => null);
    const endpoint = userPoolEndpoint(config);
    let outcome: "ok" | "revoked" | "unreachable" | "refused" = "ok";
    if (everywhere) {
      // GlobalSignOut ends every refresh token the user holds, on every device; it needs a live access token.
      const session = await fetchAuthSession().catch(() => undefined);
      const accessToken = session?.tokens?.accessToken?.toString();
      if (!accessToken) return "failed";
      outcome = await callUserPool(
        endpoint,
        "GlobalSignOut",
        { AccessToken: accessToken },
        fetchImpl,
      );
      if (outcome === "refused") return "failed";
    } else if (tokens?.refreshToken && tokens.accessToken.payload.origin_jti) {
      // Only tokens issued with revocation enabled carry origin_jti (Amplify's own test).
      outcome = await revokeRefreshToken(
        endpoint,
        config.userPoolClientId,
        tokens.refreshToken,
        fetchImpl,
      );
    }
    if (outcome === "unreachable") return "unreachable";
  }
  try {
    await signOut();
    // signOut() starts clearing the stored tokens without awaiting it; await it so a failure shows.
    await store.clearTokens();
  } catch {
    return "failed";
  }
  return "signed-out";
}
