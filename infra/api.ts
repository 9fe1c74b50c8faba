import {
  apiRoutes,
  corsAllowHeaders,
  corsAllowMethods,
  devOrigins,
} from "@userprofile/functions/api/routes";
import { apiFunctionDefaults, permissionsFor } from "@userprofile/functions/definitions";
import { userPool, userPoolLink, webClient } from "./auth";
import { logRetention } from "./functions";
import { router } from "./router";
import { allowsDevOrigins, settings } from "./stage";
import { usersTable, usersTableLink } from "./storage";

const region = aws.getRegionOutput().region;

export const api = new sst.aws.ApiGatewayV2("Api", {
  domain: settings.domains?.api,
  accessLog: { retention: logRetention },
  cors: {
    allowOrigins: [...(router ? [router.url] : []), ...(allowsDevOrigins ? devOrigins : [])],
    allowHeaders: corsAllowHeaders,
    allowMethods: corsAllowMethods,
    maxAge: "1 hour",
  },
});

export const authorizer = api.addAuthorizer({
  name: "UserPool",
  jwt: {
    issuer: $interpolate`https://cognito-idp.${region}.amazonaws.com/${userPool.id}`,
    audiences: [webClient.id],
  },
});

for (const route of apiRoutes) {
  api.route(
    `${route.method} ${route.path}`,
    {
      handler: route.handler,
      timeout: `${apiFunctionDefaults.timeoutSeconds} seconds`,
      memory: `${apiFunctionDefaults.memoryMB} MB`,
      link: [usersTableLink, userPoolLink],
      permissions: permissionsFor(route.grants, { table: usersTable.arn, userPool: userPool.arn }),
    },
    { auth: { jwt: { authorizer: authorizer.id } } },
  );
}
