import { useEffect, useState } from "react";

/**
 * The app's place in the browser's history: the URL's path and query, and the
 * key of its history entry. Anything a screen is handed that must not be in
 * the URL (a password to sign in with after confirming, a message to show)
 * lives in memory under that key, so Back and Forward find it again during the
 * visit and a reload drops it.
 */
export interface HistoryLocation {
  path: string;
  search: string;
  key: string;
}

type Listener = () => void;

const listeners = new Set<Listener>();
const extrasByKey = new Map<string, unknown>();

const newKey = () => Math.random().toString(36).slice(2, 10);

function keyOf(state: unknown): string | undefined {
  const key = (state as { key?: unknown } | null)?.key;
  return typeof key === "string" ? key : undefined;
}

/** Where the browser is now; gives the entry a key first if it has none (a fresh visit). */
export function currentLocation(): HistoryLocation {
  let key = keyOf(history.state);
  if (!key) {
    key = newKey();
    history.replaceState({ key }, "");
  }
  return { path: location.pathname, search: location.search, key };
}

export function extrasOf<T>(location: HistoryLocation): T | undefined {
  return extrasByKey.get(location.key) as T | undefined;
}

export interface NavigateOptions {
  /** Replace the current entry instead of adding one (redirects, signing in or out). */
  replace?: boolean;
  /** Kept in memory with the new entry, never in the URL or the history state. */
  extras?: unknown;
}

export function navigate(url: string, { replace = false, extras }: NavigateOptions = {}) {
  const key = newKey();
  if (extras !== undefined) extrasByKey.set(key, extras);
  if (replace) history.replaceState({ key }, "", url);
  else {
    history.pushState({ key }, "", url);
    window.scrollTo(0, 0);
  }
  notify();
}

/** Corrects the current entry's URL (a redirect): the same place in history, with the same extras. */
export function redirect(url: string) {
  history.replaceState({ key: keyOf(history.state) ?? newKey() }, "", url);
  notify();
}

function notify() {
  for (const listener of listeners) listener();
}

function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  if (listeners.size === 1) window.addEventListener("popstate", notify);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener("popstate", notify);
  };
}

const same = (a: HistoryLocation, b: HistoryLocation) =>
  a.path === b.path && a.search === b.search && a.key === b.key;

/**
 * The location to render. It starts at `initial` (on the client, the place the
 * prerendered HTML was made for, so hydration matches it) and then follows the
 * browser. A change shows at once, with the URL: the screen being left never
 * lingers where the next one's fields are expected.
 */
export function useHistoryLocation(initial: HistoryLocation): HistoryLocation {
  const [current, setCurrent] = useState(initial);
  useEffect(() => {
    const update = () => {
      const next = currentLocation();
      setCurrent((previous) => (same(previous, next) ? previous : next));
    };
    update();
    return subscribe(update);
  }, []);
  return current;
}
