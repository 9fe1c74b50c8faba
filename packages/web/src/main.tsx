import { createRoot, hydrateRoot } from "react-dom/client";
import { auth, loadAuthOnFirstInteraction, setAuthConfig } from "./amplify";
import { readConfig } from "./config";
import { Root } from "./root";
import { currentLocation, extrasOf, redirect } from "./router";
import { type Extras, resolve } from "./routes";
import { prefetchWhenIdle, screens } from "./screens";
import { hasStoredSession } from "./stored-session";

/**
 * The page arrives prerendered (see build/prerender.ts): #root holds the
 * markup of one screen, named by its data-screen attribute. When the visitor
 * is on that screen, React hydrates it and nothing repaints; otherwise (an
 * unknown path, or a stored session that skips sign-in) it renders the right
 * one in its place.
 */
async function start() {
  const container = document.getElementById("root") as HTMLElement;
  const result = readConfig(import.meta.env);
  const prerendered = container.dataset.screen;
  if (!result.ok) {
    const page = <Root config={result} />;
    if (prerendered) hydrateRoot(container, page);
    else createRoot(container).render(page);
    return;
  }

  const { config } = result;
  setAuthConfig(config);
  const signedIn = hasStoredSession(config.userPoolClientId);
  // A stored session is checked as soon as possible: the profile needs fresh tokens.
  if (signedIn) void auth().catch(() => {});
  let here = currentLocation();
  const { route, url } = resolve(here, extrasOf<Extras>(here), signedIn);
  if (url !== `${here.path}${here.search}`) {
    redirect(url);
    here = currentLocation();
  }
  // Its chunk is preloaded by the page; waiting for it keeps hydration from suspending.
  await screens[route.name]().catch(() => {});
  loadAuthOnFirstInteraction();
  prefetchWhenIdle();

  if (prerendered === route.name) {
    const initialLocation = {
      path: container.dataset.path ?? here.path,
      search: "",
      key: here.key,
    };
    hydrateRoot(
      container,
      <Root config={result} initialLocation={initialLocation} signedIn={signedIn} />,
    );
  } else {
    createRoot(container).render(
      <Root config={result} initialLocation={here} signedIn={signedIn} />,
    );
  }
}

void start();
