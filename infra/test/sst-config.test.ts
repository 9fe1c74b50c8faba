import { UserPoolSettings } from "@userprofile/core/user-pool";
import { UsersTable } from "@userprofile/core/users-table";
import { apiRoutes, devOrigins } from "@userprofile/functions/api/routes";
import { postConfirmationOutcomes } from "@userprofile/functions/definitions";
import { beforeAll, describe, expect, it } from "vitest";
import {
  accountId,
  assetBucket,
  childrenOf,
  type EvaluateOptions,
  type Evaluation,
  evaluate,
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
  logGroupOf,
  monitoringResources,
  text,
  triggerHandler,
} from "./resources";

/** Started together so they share the CPUs; a stage that fails only fails its own tests. */
function start(options: EvaluateOptions) {
  const evaluation = evaluate(options);
  evaluation.catch(() => undefined);
  return evaluation;
}
/** Every opt-in production setting on (docs/production.md). */
const productionSettings = {
  SES_FROM_ADDRESS: "Example <no-reply@example.com>",
  SES_IDENTITY_ARN: `arn:aws:ses:${region}:${accountId}:identity/example.com`,
  COGNITO_PLAN: "plus",
  COGNITO_THREAT_PROTECTION: "enforced",
  APP_DOMAIN: "example.com",
  USERS_TABLE_NAME: "userprofile-production-Users-restored",
};
const evaluations = {
  alice: start({ stage: "alice" }),
  bob: start({ stage: "bob" }),
  production: start({ stage: "production" }),
  aliceDev: start({ stage: "alice", dev: true }),
  productionConfigured: start({ stage: "production", env: productionSettings }),
  aliceOnDomain: start({
    stage: "alice",
    env: { APP_DOMAIN: "example.com", COGNITO_PLAN: "essentials" },
  }),
};

/** Who may assume a role, from its trust policy. */
function trustedPrincipals(role: { inputs: Record<string, unknown> }) {
  const document = role.inputs.assumeRolePolicy;
  const policy = (typeof document === "string" ? JSON.parse(document) : document) as {
    Statement: { Effect: string; Action: string; Principal: Record<string, unknown> }[];
  };
  return policy.Statement.filter((s) => s.Effect === "Allow" && s.Action === "sts:AssumeRole").map(
    (s) => s.Principal,
  );
}

/** What the CLI gives a function as `Resource`, without SST's type tags. */
function linksOf(evaluation: Evaluation, method: string, handler: string) {
  const call = evaluation.rpcCalls.find((c) => c.method === method && c.args.handler === handler);
  const links = (call?.args.links ?? {}) as Record<string, Record<string, unknown>>;
  return Object.fromEntries(
    Object.entries(links).map(([name, { type: _, ...properties }]) => [name, properties]),
  );
}

describe("a deployed stage", () => {
  let alice: Evaluation;
  let app: ReturnType<typeof appResources>;

  beforeAll(async () => {
    alice = await evaluations.alice;
    app = appResources(alice);
  });

  describe("user pool", () => {
    it("runs the post-confirmation handler after every confirmed sign-up", () => {
      expect(app.pool.inputs.lambdaConfig).toEqual({
        postConfirmation: text(app.trigger.lambda, "arn"),
      });
    });

    it("lets Cognito invoke the trigger", () => {
      const permissions = ofType(alice, "aws:lambda/permission:Permission").filter(
        (p) => p.inputs.principal === "cognito-idp.amazonaws.com",
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
      expect(minifyByHandler(await evaluations[stage])).toEqual(
        Object.fromEntries(handlers.map((handler) => [handler, true])),
      );
    });
  }
});

describe("production", () => {
  let production: Evaluation;

  beforeAll(async () => {
    production = await evaluations.production;
  });

  it("keeps its data on removal and refuses `sst remove`", () => {
    expect(production.app).toMatchObject({ removal: "retain", protect: true });
    expect(production.outputs._protect).toBe(true);
    expect(appResources(production).table.options.retainOnDelete).toBe(true);
  });

  it("protects the user pool and the table from deletion", () => {
    const { pool, table } = appResources(production);
    expect(pool.inputs.deletionProtection).toBe("ACTIVE");
    expect(table.inputs.deletionProtectionEnabled).toBe(true);
  });

  it("can restore the table to any point in time", () => {
    expect(appResources(production).table.inputs.pointInTimeRecovery).toEqual({ enabled: true });
  });

  it("lets only its own site call the API: no dev-server origins", () => {
    const cors = appResources(production).api.inputs.corsConfiguration as Record<string, string[]>;
    expect(cors.allowOrigins).toEqual([production.outputs.siteUrl]);
    for (const origin of devOrigins) expect(cors.allowOrigins).not.toContain(origin);
  });

  it("keeps the user pool if the stage is removed, and refuses to replace the pool or the table", () => {
    const { pool, table } = appResources(production);
    expect(pool.options).toEqual({ protect: true, retainOnDelete: true });
    expect(table.options).toEqual({ protect: true, retainOnDelete: true });
  });
});

describe("a developer stage", () => {
  let alice: Evaluation;

  beforeAll(async () => {
    alice = await evaluations.alice;
  });

  it("is removed with its data", () => {
    expect(alice.app).toMatchObject({ removal: "remove", protect: false });
    expect(alice.outputs._protect).toBe(false);
    const kept = alice.resources.filter((r) => r.options.retainOnDelete || r.options.protect);
    expect(kept.map((r) => `${r.type} ${r.name}`)).toEqual([]);
  });

  it("has no deletion protection", () => {
    const { pool, table } = appResources(alice);
    expect(pool.inputs.deletionProtection).not.toBe("ACTIVE");
    expect(table.inputs.deletionProtectionEnabled).not.toBe(true);
  });
});

describe("two stages", () => {
  const named = [
    "aws:dynamodb/table:Table",
    "aws:cognito/userPool:UserPool",
    "aws:lambda/function:Function",
    "aws:apigatewayv2/api:Api",
  ];
  const physicalNames = (evaluation: Evaluation) =>
    new Map(
      named.flatMap((type) =>
        ofType(evaluation, type).map((r) => [`${type} ${r.name}`, String(r.inputs.name)]),
      ),
    );
  /** SST appends 8 random characters; a name must differ without them too. */
  const stem = (name: string) => name.replace(/-[a-z]{8}$/, "");

  it("get their own table, pool, functions and API", async () => {
    const a = physicalNames(await evaluations.alice);
    const b = physicalNames(await evaluations.bob);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    expect(a.size).toBeGreaterThanOrEqual(named.length);
    for (const [resource, name] of a) {
      const other = b.get(resource) ?? "";
      expect(name, resource).toContain("alice");
      expect(other, resource).toContain("bob");
      expect(stem(name), resource).not.toBe(stem(other));
    }
  });
});

describe("sst dev", () => {
  let aliceDev: Evaluation;
  let app: ReturnType<typeof appResources>;

  beforeAll(async () => {
    aliceDev = await evaluations.aliceDev;
    app = appResources(aliceDev);
  });

  it("runs the site's dev server instead of deploying it", () => {
    expect(app.site.outputs?._metadata).toMatchObject({ mode: "placeholder" });
    expect(childrenOf(aliceDev, app.site, "command:local:Command")).toEqual([]);
    expect(app.site.outputs?._dev).toMatchObject({
      command: expect.stringMatching(/\bdev\b/),
      directory: "packages/web",
      autostart: true,
    });
  });

  it("gives the dev server the VITE_ settings a deployed build gets", async () => {
    const dev = app.site.outputs?._dev as { environment?: Record<string, string> } | undefined;
    expect(dev?.environment).toEqual(expectedWebEnvironment(aliceDev));

    const deployed = await evaluations.alice;
    const { site } = appResources(deployed);
    const builder = only(childrenOf(deployed, site, "command:local:Command"), "build");
    const built = builder.inputs.environment as Record<string, string>;
    expect(Object.keys(dev?.environment ?? {}).sort()).toEqual(Object.keys(built).sort());
  });

  it("lets the dev server's origin call the API", () => {
    const metadata = app.site.outputs?._metadata as { url?: string } | undefined;
    const cors = app.api.inputs.corsConfiguration as Record<string, string[]>;
    expect(metadata?.url).toMatch(/^http:\/\/(localhost|127\.0\.0\.1):\d+$/);
    expect(cors.allowOrigins).toContain(metadata?.url);
  });

  it("runs the trigger live with its link to the table", () => {
    expect(linksOf(aliceDev, "Runtime.AddTarget", triggerHandler)).toEqual({
      UsersTable: { name: text(app.table, "name") },
    });
  });

  it("adds only SST's live-mode grants to the trigger's role", () => {
    expect(inlineStatements(app.trigger.role)).toEqual([
      { effect: "Allow", actions: ["dynamodb:PutItem"], resources: [text(app.table, "arn")] },
      { effect: "Allow", actions: ["appsync:*"], resources: ["*"] },
      {
        effect: "Allow",
        actions: ["s3:*"],
        resources: [`arn:aws:s3:::${assetBucket}`, `arn:aws:s3:::${assetBucket}/*`],
      },
    ]);
  });
});

describe("monitoring", () => {
  let alice: Evaluation;
  let app: ReturnType<typeof appResources>;
  let monitoring: ReturnType<typeof monitoringResources>;

  beforeAll(async () => {
    alice = await evaluations.alice;
    app = appResources(alice);
    monitoring = monitoringResources(alice);
  });

  // Every function the app defines, whether in routes.ts or written in infra/ directly.
  const allFunctions = () =>
    ofType(alice, "sst:aws:Function").map((component) => ({
      component,
      lambda: only(childrenOf(alice, component, "aws:lambda/function:Function"), "lambda"),
      role: only(childrenOf(alice, component, "aws:iam/role:Role"), "role"),
    }));

  it("keeps every function's logs for a month, not forever", () => {
    expect(allFunctions().map((fn) => fn.component)).toEqual(
      expect.arrayContaining([app.trigger.component]),
    );
    for (const fn of allFunctions()) {
      expect(logGroupOf(alice, fn).inputs.retentionInDays, fn.component.name).toBe(30);
    }
  });

  it("expires every log group it creates, the API's access log included", () => {
    const groups = ofType(alice, "aws:cloudwatch/logGroup:LogGroup");
    expect(groups.length).toBeGreaterThan(allFunctions().length);
    for (const group of groups) {
      expect(group.inputs.retentionInDays, group.name).toBe(30);
    }
  });

  it("counts each outcome the trigger logs, from the trigger's own log group", () => {
    const triggerLogs = String(logGroupOf(alice, app.trigger).inputs.name);
    expect(monitoring.filters.map((f) => f.inputs.logGroupName)).toEqual(
      postConfirmationOutcomes.map(() => triggerLogs),
    );
    expect(monitoring.filters.map((f) => f.inputs.pattern).sort()).toEqual(
      postConfirmationOutcomes.map((outcome) => `{ $.outcome = "${outcome}" }`).sort(),
    );
    const metrics = monitoring.filters.map(
      (f) => f.inputs.metricTransformation as { namespace: string; name: string; value: string },
    );
    expect(new Set(metrics.map((m) => m.name)).size).toBe(postConfirmationOutcomes.length);
    for (const metric of metrics) {
      expect(metric).toMatchObject({ namespace: "userprofile/alice", value: "1" });
    }
  });

  it("alarms on the trigger's errors and the API's 5xx, and on nothing else", () => {
    expect(
      monitoring.alarms.map((a) => ({
        namespace: a.namespace,
        metricName: a.metricName,
        dimensions: a.dimensions,
      })),
    ).toEqual(
      expect.arrayContaining([
        {
          namespace: "AWS/Lambda",
          metricName: "Errors",
          dimensions: { FunctionName: text(app.trigger.lambda, "name") },
        },
        {
          namespace: "AWS/ApiGateway",
          metricName: "5xx",
          dimensions: { ApiId: text(app.api, "id") },
        },
      ]),
    );
    expect(monitoring.alarms).toHaveLength(2);
  });

  it("watches the API that serves every route", () => {
    const apiAlarm = only(
      monitoring.alarms.filter((a) => a.namespace === "AWS/ApiGateway"),
      "API alarm",
    );
    expect(app.routes.length).toBeGreaterThanOrEqual(apiRoutes.length);
    for (const route of app.routes) {
      expect(route.inputs.apiId).toBe(apiAlarm.dimensions.ApiId);
    }
  });

  it("raises an alarm on the first failure in five minutes and clears when quiet", () => {
    for (const alarm of monitoring.alarms) {
      expect(alarm.resource.inputs).toMatchObject({
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
      });
    }
  });

  it("notifies the alarm topic, which the stage outputs for subscribers", () => {
    const topicArn = text(monitoring.topic, "arn");
    expect(alice.outputs.alarmTopic).toBe(topicArn);
    for (const alarm of monitoring.alarms) {
      expect(alarm.alarmActions).toEqual([topicArn]);
      expect(alarm.okActions).toEqual([topicArn]);
    }
  });

  it("names the alarms after the stage", async () => {
    const bob = monitoringResources(await evaluations.bob);
    const names = (m: typeof monitoring) => m.alarms.map((a) => String(a.resource.inputs.name));
    expect(names(monitoring).every((name) => name.includes("alice"))).toBe(true);
    expect(names(bob).every((name) => name.includes("bob"))).toBe(true);
  });
});

describe("production settings, all off (the default)", () => {
  let production: Evaluation;
  let alice: Evaluation;

  beforeAll(async () => {
    production = await evaluations.production;
    alice = await evaluations.alice;
  });

  it("use the Essentials feature plan, which passkey sign-in needs (infra/test/sign-in.test.ts)", () => {
    expect(appResources(production).pool.inputs.userPoolTier).toBe("ESSENTIALS");
    expect(appResources(alice).pool.inputs.userPoolTier).toBe("ESSENTIALS");
  });

  it("send email with Cognito's default sender", () => {
    expect(appResources(production).pool.inputs.emailConfiguration).toEqual({
      emailSendingAccount: "COGNITO_DEFAULT",
    });
  });

  it("leave threat protection off", () => {
    expect(appResources(production).pool.inputs.userPoolAddOns).toEqual({
      advancedSecurityMode: "OFF",
    });
  });

  it("serve the site and the API on AWS's own hostnames", () => {
    expect(ofType(production, "aws:apigatewayv2/domainName:DomainName")).toEqual([]);
    expect(ofType(production, "aws:acm/certificate:Certificate")).toEqual([]);
    const cdn = only(ofType(production, "aws:cloudfront/distribution:Distribution"), "CDN");
    expect(cdn.inputs.aliases ?? []).toEqual([]);
    expect(production.outputs.siteUrl).toBe(`https://${text(cdn, "domainName")}`);
    expect(production.outputs.apiUrl).toBe(text(appResources(production).api, "apiEndpoint"));
  });

  it("create the stage's own table", () => {
    expect(production.reads).toEqual([]);
    expect(production.outputs.usersTable).toBe(text(appResources(production).table, "name"));
  });
});

describe("production settings, all on", () => {
  let production: Evaluation;

  beforeAll(async () => {
    production = await evaluations.productionConfigured;
  });

  const pool = () => only(ofType(production, "aws:cognito/userPool:UserPool"), "user pool");
  const api = () => only(ofType(production, "aws:apigatewayv2/api:Api"), "HTTP API");

  it("send the pool's email from the verified SES identity", () => {
    expect(pool().inputs.emailConfiguration).toEqual({
      emailSendingAccount: "DEVELOPER",
      sourceArn: productionSettings.SES_IDENTITY_ARN,
      fromEmailAddress: productionSettings.SES_FROM_ADDRESS,
    });
  });

  it("put the pool on the chosen plan with threat protection enforced", () => {
    expect(pool().inputs.userPoolTier).toBe("PLUS");
    expect(pool().inputs.userPoolAddOns).toEqual({ advancedSecurityMode: "ENFORCED" });
  });

  it("serve the API at api.<domain> with a validated certificate", () => {
    const domain = only(ofType(production, "aws:apigatewayv2/domainName:DomainName"), "domain");
    expect(domain.inputs.domainName).toBe("api.example.com");
    const certificate = only(
      ofType(production, "aws:acm/certificate:Certificate").filter(
        (c) => c.inputs.domainName === "api.example.com",
      ),
      "API certificate",
    );
    expect(domain.inputs.domainNameConfiguration).toMatchObject({
      certificateArn: text(certificate, "arn"),
      endpointType: "REGIONAL",
    });
    const mapping = only(ofType(production, "aws:apigatewayv2/apiMapping:ApiMapping"), "mapping");
    expect(mapping.inputs).toMatchObject({
      apiId: text(api(), "id"),
      domainName: "api.example.com",
    });
    expect(production.outputs.apiUrl).toBe("https://api.example.com");
  });

  it("serve the site at the apex domain, and point DNS at both", () => {
    const cdn = only(ofType(production, "aws:cloudfront/distribution:Distribution"), "CDN");
    expect(cdn.inputs.aliases).toEqual(["example.com"]);
    expect(production.outputs.siteUrl).toBe("https://example.com");
    const aliases = ofType(production, "aws:route53/record:Record")
      .filter((r) => r.inputs.type === "A")
      .map((r) => r.inputs.name)
      .sort();
    expect(aliases).toEqual(["api.example.com", "example.com"]);
  });

  it("let the site's custom origin call the API, and build the site against the API's domain", () => {
    const cors = api().inputs.corsConfiguration as Record<string, string[]>;
    expect(cors.allowOrigins).toContain("https://example.com");
    const site = only(ofType(production, "sst:aws:StaticSite"), "site");
    const builder = only(childrenOf(production, site, "command:local:Command"), "build");
    expect(builder.inputs.environment).toMatchObject({ VITE_API_URL: "https://api.example.com" });
  });

  it("use the existing (restored) table instead of creating one", () => {
    const name = productionSettings.USERS_TABLE_NAME;
    expect(ofType(production, "aws:dynamodb/table:Table")).toEqual([]);
    expect(production.reads).toEqual([
      expect.objectContaining({ type: "aws:dynamodb/table:Table", id: name }),
    ]);
    expect(production.outputs.usersTable).toBe(name);
  });

  it("point every function and grant at the restored table", () => {
    const name = productionSettings.USERS_TABLE_NAME;
    const arn = `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;
    const trigger = functionWithHandler(production, triggerHandler);
    expect(inlineStatements(trigger.role)).toEqual([
      { effect: "Allow", actions: ["dynamodb:PutItem"], resources: [arn] },
    ]);
    expect(linksOf(production, "Runtime.Build", triggerHandler)).toEqual({
      UsersTable: { name },
    });
    for (const route of apiRoutes) {
      const fn = functionWithHandler(production, route.handler);
      const tableGrants = grants(inlineStatements(fn.role)).filter((g) => g.includes(":dynamodb:"));
      expect(tableGrants).toEqual(
        route.grants.table.map((a) => `Allow dynamodb:${a} ${arn}`).sort(),
      );
      expect(linksOf(production, "Runtime.Build", route.handler).UsersTable).toEqual({ name });
    }
  });
});

describe("a custom domain on another stage", () => {
  let alice: Evaluation;

  beforeAll(async () => {
    alice = await evaluations.aliceOnDomain;
  });

  it("serves the site at <stage>.<domain> and the API at api.<stage>.<domain>", () => {
    expect(alice.outputs.siteUrl).toBe("https://alice.example.com");
    expect(alice.outputs.apiUrl).toBe("https://api.alice.example.com");
    const cors = only(ofType(alice, "aws:apigatewayv2/api:Api"), "API").inputs
      .corsConfiguration as Record<string, string[]>;
    expect(cors.allowOrigins).toContain("https://alice.example.com");
  });

  it("takes the feature plan from the setting", () => {
    expect(appResources(alice).pool.inputs.userPoolTier).toBe("ESSENTIALS");
  });

  it("stays removable with its data", () => {
    const kept = alice.resources.filter((r) => r.options.retainOnDelete || r.options.protect);
    expect(kept.map((r) => `${r.type} ${r.name}`)).toEqual([]);
  });
});
