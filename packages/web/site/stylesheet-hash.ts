/**
 * The CSP hash of src/styles.css as the pages inline it. The build fails if it
 * is out of date; `pnpm --filter @userprofile/web stylesheet-hash` rewrites it.
 */
export const STYLESHEET_HASH = "'sha256-omIskInGrO4Fpx3NLEIZQFdOrkmLi1OOl62PeXECROk='";
