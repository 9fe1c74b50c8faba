import { createHash } from "node:crypto";
import { STYLESHEET_HASH } from "./stylesheet-hash";

/**
 * The app's one stylesheet, relative to packages/web. It is inlined into
 * every page, so the first paint needs no second request, and the CSP allows
 * that exact text by its hash (no 'unsafe-inline'). The hash is committed in
 * site/stylesheet-hash.ts because infra computes the policy before the site
 * is built; the build refuses a stylesheet whose hash it doesn't match.
 */
export const STYLESHEET = "src/styles.css";

export { STYLESHEET_HASH };

/** The text the page carries: the file with its line ends as an HTML parser leaves them. */
export function inlineStyle(css: string): string {
  if (/<\/style/i.test(css)) throw new Error(`${STYLESHEET} must not contain "</style".`);
  return css.replace(/\r\n?/g, "\n");
}

/** The CSP source that allows exactly this inline style. */
export function styleHash(css: string): string {
  return `'sha256-${createHash("sha256").update(inlineStyle(css), "utf8").digest("base64")}'`;
}
