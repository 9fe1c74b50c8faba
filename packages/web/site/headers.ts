import { readConfig, userPoolEndpoint } from "../src/config";
import { STYLESHEET_HASH } from "./style";

/**
 * The response headers the site is served with, deployed (infra/router.ts,
 * infra/web.ts) and locally (site/server.ts), computed from the same VITE_
 * settings the site is built with: a new endpoint or a custom domain changes
 * the policy with the build.
 */

/**
 * The origins the page may call: the user pool's API (every Amplify call and
 * the app's RevokeToken go there; no identity pool, no hosted UI), the
 * profile API and, locally only, the mailbox.
 */
export function connectOrigins(env: Readonly<Record<string, string | undefined>>): string[] {
  const result = readConfig(env);
  if (!result.ok)
    throw new Error(`No policy without the site's settings: ${result.missing.join(", ")}.`);
  const { config } = result;
  const urls = [userPoolEndpoint(config), config.apiUrl, config.mailboxUrl];
  return [
    ...new Set(urls.filter((url): url is string => Boolean(url)).map((url) => new URL(url).origin)),
  ];
}

export interface PolicySources {
  /** Origins the page may call (connectOrigins). */
  connect: readonly string[];
  /** CSP hashes of the inline stylesheets (site/style.ts); by default the app's own. */
  styleHashes?: readonly string[];
}

/**
 * Scripts from the site only (no inline script, no eval), styles from the
 * site and its one inline stylesheet, calls only to `connect`, nothing else
 * loaded, never framed, no <base>, and no form submitted by the browser
 * itself (the app sends every form with fetch, so a form submitted before the
 * page hydrates goes nowhere).
 */
export function contentSecurityPolicy({
  connect,
  styleHashes = [STYLESHEET_HASH],
}: PolicySources): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src ${["'self'", ...styleHashes].join(" ")}`,
    "img-src 'self'",
    `connect-src ${connect.length > 0 ? connect.join(" ") : "'none'"}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Browser features the page may use: only passkeys (WebAuthn), on the site itself. */
export const permissionsPolicy = [
  "publickey-credentials-create=(self)",
  "publickey-credentials-get=(self)",
  ...[
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
  ].map((feature) => `${feature}=()`),
].join(", ");

/**
 * What every response carries besides the CSP. HSTS leaves out
 * includeSubDomains: on a production apex domain it would bind every other
 * subdomain of it to HTTPS too (add it, and preload, once they all are).
 */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;

export const staticSecurityHeaders = {
  "strict-transport-security": `max-age=${HSTS_MAX_AGE_SECONDS}`,
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "permissions-policy": permissionsPolicy,
} as const;

/** Every header a page is served with, for the site built with `env`. */
export function securityHeaders(env: Readonly<Record<string, string | undefined>>) {
  return {
    ...staticSecurityHeaders,
    "content-security-policy": contentSecurityPolicy({ connect: connectOrigins(env) }),
  };
}
