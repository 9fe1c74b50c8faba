import { UserPoolSettings } from "@userprofile/core/user-pool";
import { UsersTable } from "@userprofile/core/users-table";
import { apiRoutes, devOrigins } from "@userprofile/functions/api/routes";
import { beforeAll, describe, expect, it } from "vitest";
import {
  childrenOf,
  type Evaluation,
  functionWithHandler,
  inlineStatements,
  ofType,
  only,
  region,
} from "./evaluate";
import {
  appResources,
  basicExecutionRole,
  expectedWebEnvironment,
  grants,
  linksOf,
  text,
  triggerHandler,
  trustedPrincipals,
} from "./resources";
import { evaluations } from "./stages";

describe("a deployed stage", () => {
  let alice: Evaluation;
  let app: ReturnType<typeof appResources>;

  beforeAll(async () => {
    alice = await evaluations.alice;
    app = appResources(alice);
  });

  describe("user pool", () => {
    it("runs the post-confirmation handler after every confirmed sign-up", () => {
      expect(app.pool.inputs.lambdaConfig).toMatchObject({
        postConfirmation: text(app.trigger.lambda, "arn"),
      });
    });

    it("lets Cognito invoke the trigger", () => {
      const permissions = ofType(alice, "aws:lambda/permission:Permission").filter(
        (p) =>
          p.inputs.principal === "cognito-idp.amazonaws.com" &&
          p.inputs.function === text(app.trigger.lambda, "arn"),
      );
      expect(permissions.map((p) => p.inputs)).toEqual([
        expect.objectContaining({
          action: "lambda:InvokeFunction",
          function: text(app.trigger.lambda, "arn"),
          sourceArn: text(app.pool, "arn"),
        }),
      ]);
    });

    it("signs users in by email", () => {
      expect(app.pool.inputs.usernameAttributes).toEqual(["email"]);
      expect(app.pool.inputs.autoVerifiedAttributes).toEqual(["email"]);
    });

    it("ignores case in usernames (Alice@example.com and alice@example.com are one account)", () => {
      expect(app.pool.inputs.usernameConfiguration).toEqual({ caseSensitive: false });
    });

    it("requires passwords of 8+ characters with upper, lower, digit and symbol", () => {
      expect(app.pool.inputs.passwordPolicy).toMatchObject({
        minimumLength: 8,
        requireUppercase: true,
        requireLowercase: true,
        requireNumbers: true,
        requireSymbols: true,
      });
    });
  });

  describe("post-confirmation trigger", () => {
    it("may only put items into the Users table", () => {
      expect(inlineStatements(app.trigger.role)).toEqual([
        { effect: "Allow", actions: ["dynamodb:PutItem"], resources: [text(app.table, "arn")] },
      ]);
      expect(app.trigger.role.inputs.managedPolicyArns).toEqual([basicExecutionRole]);
    });

    it("has a role only Lambda can assume", () => {
      expect(trustedPrincipals(app.trigger.role)).toEqual([{ Service: "lambda.amazonaws.com" }]);
    });

    it("reads the table name from Resource.UsersTable", () => {
      expect(linksOf(alice, "Runtime.Build", triggerHandler)).toEqual({
        UsersTable: { name: text(app.table, "name") },
      });
    });

    it("runs on Node.js 22 or newer, arm64, within Cognito's 5-second limit", () => {
      const runtime = String(app.trigger.lambda.inputs.runtime);
      expect(runtime).toMatch(/^nodejs\d+\.x$/);
      expect(Number(/\d+/.exec(runtime)?.[0])).toBeGreaterThanOrEqual(22);
      expect(app.trigger.lambda.inputs.architectures).toEqual(["arm64"]);
      expect(app.trigger.lambda.inputs.timeout).toBe(5);
    });
  });

  describe("Users table", () => {
    it("is keyed by the user's sub and billed on demand", () => {
      expect(app.table.inputs).toMatchObject({
        hashKey: UsersTable.partitionKey,
        attributes: [{ name: UsersTable.partitionKey, type: "S" }],
        billingMode: "PAY_PER_REQUEST",
      });
    });

    it("lets Time to Live delete expired deletion markers (ExpiresAt, epoch seconds)", () => {
      expect(app.table.inputs.ttl).toEqual({ attributeName: "ExpiresAt", enabled: true });
      expect(UsersTable.timeToLiveAttribute).toBe(UsersTable.attributes.expiresAt);
    });
  });

  describe("web client", () => {
    it("has no secret and allows only SRP, choice-based (USER_AUTH) and refresh-token sign-in", () => {
      expect(app.client.inputs.generateSecret).not.toBe(true);
      expect(app.client.inputs.userPoolId).toBe(text(app.pool, "id"));
      expect([...(app.client.inputs.explicitAuthFlows as string[])].sort()).toEqual(
        ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_AUTH", "ALLOW_USER_SRP_AUTH"].sort(),
      );
    });

    it("issues tokens for the lifetimes account deletion is built around", () => {
      const { tokenValidity } = UserPoolSettings;
      expect(app.client.inputs).toMatchObject({
        accessTokenValidity: tokenValidity.accessTokenMinutes,
        idTokenValidity: tokenValidity.idTokenMinutes,
        refreshTokenValidity: tokenValidity.refreshTokenDays,
        tokenValidityUnits: { accessToken: "minutes", idToken: "minutes", refreshToken: "days" },
      });
    });

    it("hides whether a user exists and lets sign-out revoke tokens", () => {
      expect(app.client.inputs.preventUserExistenceErrors).toBe("ENABLED");
      expect(app.client.inputs.enableTokenRevocation).toBe(true);
    });
  });

  describe("profile API", () => {
    it("verifies JWTs issued by the user pool for the web client", () => {
      expect(app.authorizer.inputs).toMatchObject({
        apiId: text(app.api, "id"),
        authorizerType: "JWT",
        jwtConfiguration: {
          issuer: `https://cognito-idp.${region}.amazonaws.com/${text(app.pool, "id")}`,
          audiences: [text(app.client, "id")],
        },
      });
    });

    it("serves every route in routes.ts", () => {
      expect(app.routes.map((r) => r.inputs.routeKey)).toEqual(
        expect.arrayContaining(apiRoutes.map((r) => `${r.method} ${r.path}`)),
      );
    });

    for (const route of apiRoutes) {
      describe(`${route.method} ${route.path}`, () => {
        const routeResource = () =>
          only(
            app.routes.filter((r) => r.inputs.routeKey === `${route.method} ${route.path}`),
            `route ${route.method} ${route.path}`,
          );

        it("requires the JWT authorizer", () => {
          expect(routeResource().inputs).toMatchObject({
            authorizationType: "JWT",
            authorizerId: text(app.authorizer, "id"),
          });
        });

        it("runs its handler", () => {
          const fn = functionWithHandler(alice, route.handler);
          const integration = only(
            ofType(alice, "aws:apigatewayv2/integration:Integration").filter(
              (i) => routeResource().inputs.target === `integrations/${text(i, "id")}`,
            ),
            "integration",
          );
          expect(integration.inputs.integrationUri).toBe(text(fn.lambda, "arn"));
        });

        it("reads the table and pool from Resource.UsersTable and Resource.UserPool", () => {
          expect(linksOf(alice, "Runtime.Build", route.handler)).toEqual({
            UsersTable: { name: text(app.table, "name") },
            UserPool: { id: text(app.pool, "id") },
          });
        });

        it("has a role only Lambda can assume", () => {
          const { role } = functionWithHandler(alice, route.handler);
          expect(trustedPrincipals(role)).toEqual([{ Service: "lambda.amazonaws.com" }]);
        });

        it("may do only what it lists", () => {
          const fn = functionWithHandler(alice, route.handler);
          const expected = [
            ...route.grants.table.map((a) => `Allow dynamodb:${a} ${text(app.table, "arn")}`),
            ...route.grants.userPool.map((a) => `Allow cognito-idp:${a} ${text(app.pool, "arn")}`),
          ].sort();
          expect(grants(inlineStatements(fn.role))).toEqual(expected);
          expect(fn.role.inputs.managedPolicyArns).toEqual([basicExecutionRole]);
        });
      });
    }

    it("lets the site send the authorization and content-type headers cross-origin", () => {
      const cors = app.api.inputs.corsConfiguration as Record<string, string[]>;
      const headers = (cors.allowHeaders ?? []).map((h) => h.toLowerCase());
      expect(headers).toEqual(expect.arrayContaining(["authorization", "content-type"]));
      expect(cors.allowOrigins).toContain(alice.outputs.siteUrl);
      expect(cors.allowOrigins).not.toContain("*");
      expect(cors.allowMethods).toEqual(
        expect.arrayContaining([...new Set(apiRoutes.map((r) => r.method))]),
      );
    });

    it("lets a developer run the web dev server against this non-permanent stage", () => {
      const cors = app.api.inputs.corsConfiguration as Record<string, string[]>;
      expect([...(cors.allowOrigins ?? [])].sort()).toEqual(
        [alice.outputs.siteUrl as string, ...devOrigins].sort(),
      );
    });
  });

  describe("web site", () => {
    it("is built with the stage's region, pool, client and API URL", () => {
      const builder = only(childrenOf(alice, app.site, "command:local:Command"), "build");
      expect(builder.inputs.environment).toEqual(expectedWebEnvironment(alice));
    });
  });

  describe("outputs", () => {
    it("name the pool, client, API, site, table and region", () => {
      const cdn = only(ofType(alice, "aws:cloudfront/distribution:Distribution"), "CDN");
      expect(alice.outputs).toMatchObject({
        region,
        userPoolId: text(app.pool, "id"),
        userPoolClientId: text(app.client, "id"),
        apiUrl: text(app.api, "apiEndpoint"),
        siteUrl: `https://${text(cdn, "domainName")}`,
        usersTable: text(app.table, "name"),
      });
    });
  });
});

describe("function bundles", () => {
  const handlers = [triggerHandler, ...apiRoutes.map((route) => route.handler)];

  /** `minify` as the CLI's `Runtime.Build` received it, by handler: the CLI builds nothing else. */
  function minifyByHandler(evaluation: Evaluation) {
    const builds = evaluation.rpcCalls.filter((call) => call.method === "Runtime.Build");
    return Object.fromEntries(
      builds.map((call) => {
        const properties = (call.args.properties ?? {}) as { minify?: unknown };
        return [String(call.args.handler), properties.minify];
      }),
    );
  }

  for (const stage of ["alice", "production"] as const) {
    it(`are all built minified by \`sst deploy\` (stage ${stage})`, async () => {
      const minify = minifyByHandler(await evaluations[stage]);
      expect(Object.keys(minify)).toEqual(expect.arrayContaining(handlers));
      // Functions an adopter adds are built the same way.
      expect(minify).toEqual(Object.fromEntries(Object.keys(minify).map((h) => [h, true])));
    });
  }
});
