import { readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import react from "@vitejs/plugin-react";
import { build, type Plugin, type ResolvedConfig, type Rolldown } from "vite";
import type { PrerenderedPage } from "../src/prerender";
import { prerenderedPages } from "../src/routes";

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c,
  );

/**
 * After the client build, renders each route's first screen into its own
 * HTML file (`sign-up.html` for `/sign-up`, `404.html` for any other path),
 * so the browser paints it from the HTML and CSS alone; the client then
 * hydrates it. Each page lists in #root's data-modules what src/boot.ts loads
 * after the first paint: the app and its screen's chunk, with their imports.
 * The renderer is src/prerender.tsx, built for Node with the client's settings.
 */
export function prerender(): Plugin {
  let config: ResolvedConfig;
  return {
    name: "userprofile:prerender",
    apply: "build",
    configResolved(resolved) {
      config = resolved;
    },
    async writeBundle(_options, bundle) {
      if (config.build.ssr) return;
      const outDir = resolve(config.root, config.build.outDir);
      // Inside the package, so the renderer's imports resolve from its node_modules.
      const rendererDir = join(config.root, "node_modules", ".prerender");
      await build({
        configFile: false,
        root: config.root,
        mode: config.mode,
        envDir: config.envDir,
        envPrefix: config.envPrefix,
        logLevel: "warn",
        plugins: [react()],
        build: { ssr: "src/prerender.tsx", outDir: rendererDir, emptyOutDir: true, minify: false },
      });
      try {
        const entry = pathToFileURL(join(rendererDir, "prerender.js"));
        entry.search = `t=${Date.now()}`;
        const { prerender: render } = (await import(entry.href)) as {
          prerender: (path: string) => Promise<PrerenderedPage>;
        };
        const template = await readFile(join(outDir, "index.html"), "utf8");
        if (!template.includes('<div id="root"></div>')) {
          throw new Error('index.html has no empty <div id="root"></div> to render into.');
        }
        for (const page of prerenderedPages) {
          const rendered = await render(page.path);
          const modules = [
            ...appChunks(bundle, config.root),
            ...screenChunks(bundle, config.root, rendered.screen),
          ];
          const html = template
            // Nothing the first paint needs: let the browser fetch it after what it does need.
            .replace(
              '<script type="module" crossorigin',
              '<script type="module" fetchpriority="low" crossorigin',
            )
            .replace(/<title>[^<]*<\/title>/, `<title>${escapeHtml(rendered.title)}</title>`)
            .replace(
              '<div id="root"></div>',
              `<div id="root" data-screen="${rendered.screen}" data-path="${escapeHtml(page.path)}" data-modules="${[...new Set(modules)].map((file) => `${config.base}${file}`).join(" ")}">${rendered.html}</div>`,
            );
          await writeFile(join(outDir, page.file), html);
        }
      } finally {
        await rm(rendererDir, { recursive: true, force: true });
      }
    },
  };
}

const chunksOf = (bundle: Rolldown.OutputBundle) =>
  Object.values(bundle).filter((output): output is Rolldown.OutputChunk => output.type === "chunk");

/** The chunk built from one of `modules` and every chunk it imports statically. */
function withImports(bundle: Rolldown.OutputBundle, modules: string[], what: string): string[] {
  const chunks = chunksOf(bundle);
  const chunk = chunks.find((c) => c.facadeModuleId && modules.includes(c.facadeModuleId));
  if (!chunk) throw new Error(`No chunk for ${what} (${modules.join(" or ")}).`);
  const files = new Set<string>();
  const visit = (c: Rolldown.OutputChunk) => {
    if (files.has(c.fileName)) return;
    files.add(c.fileName);
    for (const name of c.imports) {
      const imported = chunks.find((other) => other.fileName === name);
      if (imported) visit(imported);
    }
  };
  visit(chunk);
  return [...files];
}

/** The app (src/main.tsx, an entry of its own) and what it imports. */
function appChunks(bundle: Rolldown.OutputBundle, root: string): string[] {
  return withImports(bundle, [resolve(root, "src/main.tsx")], "the app");
}

/** A screen's chunk (src/screens/<name>.tsx or <name>/index.tsx) and what it imports. */
function screenChunks(bundle: Rolldown.OutputBundle, root: string, screen: string): string[] {
  if (screen === "not-configured") return [];
  const modules = [`src/screens/${screen}.tsx`, `src/screens/${screen}/index.tsx`];
  return withImports(
    bundle,
    modules.map((m) => resolve(root, m)),
    `the ${screen} screen`,
  );
}
