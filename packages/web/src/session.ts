import { fetchAuthSession } from "aws-amplify/auth";
import { Hub } from "aws-amplify/utils";

export async function currentIdToken(forceRefresh = false): Promise<string | undefined> {
  const session = await fetchAuthSession({ forceRefresh });
  return session.tokens?.idToken?.toString();
}

export type RestoredSession = "signed-in" | "signed-out" | "expired";

/**
 * Reads the stored session on start-up, refreshing it if needed. A refresh
 * that fails for a network reason keeps the person signed in (the profile
 * screen offers a retry); one Cognito refuses means the session expired.
 */
export async function restoreSession(): Promise<RestoredSession> {
  let refreshRefused = false;
  const stop = Hub.listen("auth", ({ payload }) => {
    if (payload.event === "tokenRefresh_failure") refreshRefused = true;
  });
  try {
    if (await currentIdToken()) return "signed-in";
    return refreshRefused ? "expired" : "signed-out";
  } catch (error) {
    if ((error as { name?: string }).name === "NetworkError") return "signed-in";
    return refreshRefused ? "expired" : "signed-out";
  } finally {
    stop();
  }
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
