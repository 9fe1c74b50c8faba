/**
 * The page's only script tag. The page is painted from its HTML and inline
 * CSS alone; the app's modules (listed by the build in #root's
 * data-modules: the app and the prerendered screen's chunk) are fetched
 * after that first paint, so nothing the paint doesn't need competes with it.
 */
const root = document.getElementById("root");
const modules = root?.dataset.modules?.split(" ").filter(Boolean) ?? [];

function start() {
  if (import.meta.env.DEV) void import("./main");
  else for (const module of modules) void import(/* @vite-ignore */ module);
}

let started = false;
const once = () => {
  if (started) return;
  started = true;
  start();
};
// A hidden tab paints no frames; it starts at once. Otherwise: the frame after the first.
if (document.visibilityState === "hidden") once();
else requestAnimationFrame(() => setTimeout(once, 0));
