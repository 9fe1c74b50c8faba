import type { AppConfig } from "./config";
import { lazily } from "./lazy";

export type AuthModule = typeof import("./amplify-auth");

let config: AppConfig | undefined;

/** Remembers the settings Amplify is configured with when it first loads. */
export function setAuthConfig(value: AppConfig) {
  config = value;
}

const load = lazily(async () => {
  const module = await import("./amplify-auth");
  if (config) module.configure(config);
  return module;
});

/**
 * Amplify and what the app does with it, loaded on first use: the first
 * screen paints and hydrates without it, and a visitor who never signs in
 * never downloads it.
 */
export function auth(): Promise<AuthModule> {
  return load();
}

const INTERACTIONS = ["pointerdown", "keydown", "focusin", "touchstart"] as const;

/**
 * Starts loading Amplify at the first sign that the person is about to use a
 * form, so it is there by the time they submit. Focus moved by the app itself
 * (a screen focuses its heading) does not count.
 */
export function loadAuthOnFirstInteraction(target: Document = document) {
  const start = (event: Event) => {
    if (event.type === "focusin" && !(event.target as Element | null)?.closest?.("form, button")) {
      return;
    }
    for (const type of INTERACTIONS) target.removeEventListener(type, start, true);
    void auth().catch(() => {});
  };
  for (const type of INTERACTIONS) {
    target.addEventListener(type, start, { capture: true, passive: true });
  }
}
