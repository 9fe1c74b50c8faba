/**
 * The CSP hash of src/styles.css as the pages inline it. The build fails if it
 * is out of date; `pnpm --filter @userprofile/web stylesheet-hash` rewrites it.
 */
export const STYLESHEET_HASH = "'sha256-IfG6UxDM5oJl95e78BmcDk6u2jq/NNi/IC+W4VCn4BY='";
