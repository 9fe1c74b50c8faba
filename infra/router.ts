import {
  contentSecurityPolicy,
  HSTS_MAX_AGE_SECONDS,
  staticSecurityHeaders,
} from "@userprofile/web/site/headers";
import { settings } from "./stage";

/** Where the site's Content-Security-Policy is kept for the viewer-response function. */
export const cspKey = "content-security-policy";

/**
 * The CSP names the API, whose URL exists only once the API does, and the
 * API's CORS names this router's URL: a policy attached to the distribution
 * would make a cycle. So the CSP is an entry in this store (written in
 * infra/web.ts, after the API), which a viewer-response function copies into
 * every response. If the entry can't be read, the page gets the same policy
 * with no call allowed at all.
 */
export const headersStore = $dev ? undefined : new aws.cloudfront.KeyValueStore("WebHeaders");

export const cspFromStore = [
  `var policy = ${JSON.stringify(contentSecurityPolicy({ connect: [] }))};`,
  `try { policy = await cf.kvs().get(${JSON.stringify(cspKey)}); } catch (e) {}`,
  `event.response.headers["${cspKey}"] = { value: policy };`,
].join("\n");

/**
 * The headers that name no other resource, on every response the distribution
 * sends (CloudFront runs no viewer-response function on an error): the values
 * in packages/web/site/headers.ts, which the local servers send too.
 */
export const securityHeadersPolicy = $dev
  ? undefined
  : new aws.cloudfront.ResponseHeadersPolicy("WebSecurityHeaders", {
      comment: "User Profile site security headers",
      securityHeadersConfig: {
        strictTransportSecurity: {
          accessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS,
          includeSubdomains: false,
          preload: false,
          override: true,
        },
        contentTypeOptions: { override: true },
        referrerPolicy: {
          referrerPolicy: staticSecurityHeaders["referrer-policy"],
          override: true,
        },
        frameOptions: { frameOption: staticSecurityHeaders["x-frame-options"], override: true },
      },
      customHeadersConfig: {
        items: (["permissions-policy", "cross-origin-opener-policy"] as const).map((header) => ({
          header,
          value: staticSecurityHeaders[header],
          override: true,
        })),
      },
    });

/**
 * The site's public origin. It exists before the API so the API's CORS can
 * name it without a cycle (the site's build needs the API URL). Under
 * `sst dev` the site runs on the Vite dev server, so no distribution is made.
 * With APP_DOMAIN set, it serves the stage's hostname (see infra/deploy-settings.ts).
 */
export const router =
  $dev || !headersStore || !securityHeadersPolicy
    ? undefined
    : new sst.aws.Router("WebRouter", {
        domain: settings.domains?.site,
        edge: { viewerResponse: { injection: cspFromStore, kvStore: headersStore.arn } },
        transform: {
          cdn: (args) => {
            args.defaultCacheBehavior = $output(args.defaultCacheBehavior).apply((behavior) => ({
              ...behavior,
              responseHeadersPolicyId: securityHeadersPolicy.id,
            }));
          },
        },
      });
