/**
 * The CSP hash of src/styles.css as the pages inline it. The build fails if it
 * is out of date; `pnpm --filter @userprofile/web stylesheet-hash` rewrites it.
 */
export const STYLESHEET_HASH = "'sha256-agbP7FNdwvJ9nXBHCwuu2KFASMOM4ixP9UroI+YYNqw='";
