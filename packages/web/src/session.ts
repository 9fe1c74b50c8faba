import { fetchAuthSession } from "aws-amplify/auth";

export async function currentIdToken(forceRefresh = false): Promise<string | undefined> {
  const session = await fetchAuthSession({ forceRefresh });
  return session.tokens?.idToken?.toString();
}

export async function hasSession(): Promise<boolean> {
  try {
    return (await currentIdToken()) !== undefined;
  } catch {
    return false;
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
