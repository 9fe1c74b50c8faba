import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Plugin } from "vite";
import { inlineStyle, STYLESHEET, STYLESHEET_HASH, styleHash } from "../site/style";

/**
 * Puts src/styles.css, byte for byte, in a <style> in the page's head, in dev
 * and in the build, after Vite's own HTML processing (which would rewrite it
 * and break the hash the CSP allows it by). The build stops if the committed
 * hash is stale. A change reloads the dev page.
 */
export function inlineStylesheet(): Plugin {
  let file = "";
  let building = false;
  return {
    name: "userprofile:inline-stylesheet",
    configResolved(config) {
      file = join(config.root, STYLESHEET);
      building = config.command === "build";
    },
    transformIndexHtml: {
      order: "post",
      handler: async () => {
        const css = await readFile(file, "utf8");
        if (building && styleHash(css) !== STYLESHEET_HASH) {
          throw new Error(
            `${STYLESHEET} changed, so the CSP that allows it must too: run \`pnpm --filter @userprofile/web stylesheet-hash\` and commit site/stylesheet-hash.ts.`,
          );
        }
        return [{ tag: "style", children: inlineStyle(css), injectTo: "head" }];
      },
    },
    configureServer(server) {
      server.watcher.add(file);
      server.watcher.on("change", (changed) => {
        if (changed === file) server.ws.send({ type: "full-reload" });
      });
    },
  };
}
