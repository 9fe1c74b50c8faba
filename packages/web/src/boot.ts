/**
 * The page's only script. The page is painted from its HTML and inline CSS
 * alone; the app's modules (listed by the build in #root's data-modules: the
 * app and the prerendered screen's chunk) are fetched once the browser reports
 * that first paint, so nothing the paint doesn't need competes with it.
 */
const root = document.getElementById("root");
const modules = root?.dataset.modules?.split(" ").filter(Boolean) ?? [];

let started = false;
function start() {
  if (started) return;
  started = true;
  if (import.meta.env.DEV) void import("./main");
  else for (const module of modules) void import(/* @vite-ignore */ module);
}

function afterFirstPaint() {
  // A hidden tab paints nothing; a browser without paint timing gets a frame.
  if (document.visibilityState === "hidden") return start();
  if (!PerformanceObserver.supportedEntryTypes?.includes("paint")) {
    return requestAnimationFrame(() => setTimeout(start, 0));
  }
  new PerformanceObserver((entries, observer) => {
    if (entries.getEntriesByName("first-contentful-paint").length > 0) {
      observer.disconnect();
      start();
    }
  }).observe({ type: "paint", buffered: true });
  // Whatever happens to the paint, the app starts.
  setTimeout(start, 3000);
}

afterFirstPaint();
