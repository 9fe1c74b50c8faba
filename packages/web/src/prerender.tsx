import { renderToString } from "react-dom/server";
import { readConfig } from "./config";
import { Root } from "./root";
import { pages, resolve, titleOf } from "./routes";
import { screens } from "./screens";

export interface PrerenderedPage {
  /** The route's name, for the client to know what it may hydrate. */
  screen: string;
  title: string;
  html: string;
}

/**
 * Renders the screen at `path` as a first-time visitor sees it, signed in only
 * where the screen needs it. Used at build time, in Node, by
 * build/prerender.ts.
 */
export async function prerender(path: string): Promise<PrerenderedPage> {
  const config = readConfig(import.meta.env);
  const found = Object.values(pages).find((page) => page.path === path);
  const signedIn = found?.access === "signed-in";
  const { route } = resolve({ path, search: "" }, undefined, signedIn);
  await screens[route.name]();
  const html = renderToString(
    <Root
      config={config}
      initialLocation={{ path, search: "", key: "prerendered" }}
      signedIn={signedIn}
    />,
  );
  return {
    screen: config.ok ? route.name : "not-configured",
    title: config.ok ? titleOf(route) : "User Profile",
    html,
  };
}
