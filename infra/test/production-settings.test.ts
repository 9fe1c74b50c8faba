import { UsersTable } from "@userprofile/core/users-table";
import { apiRoutes } from "@userprofile/functions/api/routes";
import { postConfirmationOutcomes } from "@userprofile/functions/definitions";
import { beforeAll, describe, expect, it } from "vitest";
import {
  accountId,
  childrenOf,
  componentOf,
  type Evaluation,
  functionWithHandler,
  inlineStatements,
  ofType,
  only,
  region,
} from "./evaluate";
import {
  appResources,
  grants,
  linksOf,
  logGroupOf,
  monitoringResources,
  text,
  triggerHandler,
} from "./resources";
import { evaluations, productionSettings } from "./stages";

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
    const created = ofType(production, "aws:dynamodb/table:Table").filter(
      (table) => componentOf(production, table).name === UsersTable.name,
    );
    expect(created).toEqual([]);
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
