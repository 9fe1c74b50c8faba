import { connectOrigins, contentSecurityPolicy } from "@userprofile/web/site/headers";
import { NOT_FOUND_PAGE } from "@userprofile/web/site/routing";
import { api } from "./api";
import { enabledFirstAuthFactors, totpMfaEnabled, userPool, webClient } from "./auth";
import { cspKey, headersStore, router } from "./router";

export const webEnvironment = {
  VITE_REGION: aws.getRegionOutput().region,
  VITE_USER_POOL_ID: userPool.id,
  VITE_USER_POOL_CLIENT_ID: webClient.id,
  VITE_API_URL: api.url,
  // What the pool enables, so the app offers only that (a stage without SES has no email codes).
  VITE_SIGN_IN_FACTORS: enabledFirstAuthFactors.join(","),
  VITE_TOTP_MFA: totpMfaEnabled ? "on" : "off",
};

/**
 * Through the Router, a path with a file is served that file, or its `.html`
 * page (the build writes one per route); a path under a folder such as
 * /assets goes to S3 as it is; any other path gets `indexPage`, with status
 * 200 (setting `errorPage` instead would send those to S3 too). Listing lets
 * S3 answer a missing asset with 404 rather than 403, and only to this
 * distribution.
 */
export const site = new sst.aws.StaticSite("Web", {
  path: "packages/web",
  build: { command: "pnpm run build", output: "dist" },
  environment: webEnvironment,
  indexPage: NOT_FOUND_PAGE,
  router: router ? { instance: router } : undefined,
  dev: { command: "pnpm run dev", url: "http://localhost:5173" },
  transform: router
    ? {
        assets: {
          policy: [
            {
              actions: ["s3:ListBucket"],
              principals: [{ type: "service", identifiers: ["cloudfront.amazonaws.com"] }],
              paths: [""],
              conditions: [
                {
                  test: "StringEquals",
                  variable: "AWS:SourceArn",
                  values: [router.nodes.cdn.nodes.distribution.arn],
                },
              ],
            },
          ],
        },
      }
    : undefined,
});

/** The CSP, from the same settings the site is built with (see infra/router.ts). */
export const siteContentSecurityPolicy = headersStore
  ? new aws.cloudfront.KeyvaluestoreKey("WebContentSecurityPolicy", {
      keyValueStoreArn: headersStore.arn,
      key: cspKey,
      value: $resolve(webEnvironment).apply((env) =>
        contentSecurityPolicy({ connect: connectOrigins(env) }),
      ),
    })
  : undefined;
