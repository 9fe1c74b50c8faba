import { type Evaluation, evaluate } from "@userprofile/sst-offline/evaluate";
import { beforeAll, describe, expect, it } from "vitest";
import { SUPPORTED_TRIGGERS } from "../src/cognito/index";
import { LOCAL_ACCOUNT_ID } from "../src/iam";
import { repoRoot } from "../src/paths";
import { describeIgnored, describeRefusals, localize, planLocalApp } from "../src/plan/index";
import { fixtureRoot } from "./fixture";

const postConfirmationOnly = { supportedTriggers: new Set(["PostConfirmation"] as const) };

function evaluateLocal(root: string, env: Record<string, string> = {}) {
  return evaluate({ root, stage: "local", dev: true, accountId: LOCAL_ACCOUNT_ID, env });
}

describe("planning an app written the SST way", () => {
  let fixture: Evaluation;
  beforeAll(async () => {
    fixture = await evaluateLocal(await fixtureRoot());
  });

  it("serves every table with its keys, indexes and Time to Live", () => {
    const { app, refusals } = planLocalApp(fixture, postConfirmationOnly);
    expect(refusals).toEqual([]);
    const orders = app.tables.find((table) => table.origin.name === "Orders");
    expect(orders).toMatchObject({
      name: expect.stringMatching(/^fixture-local-OrdersTable-[a-z]{8}$/),
      hashKey: "customer",
      rangeKey: "placedAt",
      globalSecondaryIndexes: [
        { name: "ByStatus", hashKey: "status", rangeKey: "placedAt", projectionType: "ALL" },
      ],
      localSecondaryIndexes: [
        { name: "ByCustomerStatus", rangeKey: "status", projectionType: "ALL" },
      ],
      timeToLive: { attributeName: "expiresAt" },
    });
    expect(orders?.attributes).toEqual(
      expect.arrayContaining([
        { name: "customer", type: "S" },
        { name: "placedAt", type: "N" },
        { name: "status", type: "S" },
      ]),
    );
    expect(app.tables.map((table) => table.origin.name).sort()).toEqual(["Notes", "Orders"]);
  });

  it("serves every API with its routes, their functions and authorizers", () => {
    const { app } = planLocalApp(fixture, postConfirmationOnly);
    const byName = Object.fromEntries(app.httpApis.map((api) => [api.origin.name, api]));
    expect(byName.Open?.routes.map((route) => route.routeKey).sort()).toEqual([
      "$default",
      "ANY /files/{proxy+}",
      "GET /items/{id}",
    ]);
    expect(byName.Open?.routes.every((route) => route.authorizer === undefined)).toBe(true);
    const [pool] = app.userPools;
    const [client] = pool?.clients ?? [];
    expect(byName.Secure?.routes).toEqual([
      expect.objectContaining({
        routeKey: "GET /me",
        authorizer: expect.objectContaining({
          issuer: `https://cognito-idp.us-east-1.amazonaws.com/${pool?.id}`,
          audiences: [client?.id],
        }),
      }),
    ]);
    for (const route of app.httpApis.flatMap((api) => api.routes)) {
      expect(app.functions.map((fn) => fn.name)).toContain(route.functionName);
    }
  });

  it("gives each function its handler, links and a role that grants what the links grant", () => {
    const { app } = planLocalApp(fixture, postConfirmationOnly);
    const getItem = app.functions.find((fn) => fn.handler === "src/items.get");
    const orders = app.tables.find((table) => table.origin.name === "Orders");
    expect(JSON.parse(getItem?.environment.SST_RESOURCE_Orders ?? "{}")).toMatchObject({
      name: orders?.name,
    });
    expect(JSON.parse(getItem?.environment.SST_RESOURCE_App ?? "{}")).toEqual({
      name: "fixture",
      stage: "local",
    });
    expect(getItem?.role.statements).toContainEqual({
      effect: "Allow",
      actions: ["dynamodb:*"],
      resources: [orders?.arn, `${orders?.arn}/*`],
    });
    expect(getItem?.invokePermissions).toContainEqual(
      expect.objectContaining({ principal: "apigateway.amazonaws.com" }),
    );
  });

  it("wires the pool's trigger to its function, with Cognito's permission to invoke it", () => {
    const { app } = planLocalApp(fixture, postConfirmationOnly);
    const [pool] = app.userPools;
    const trigger = app.functions.find((fn) => fn.name === pool?.triggers.PostConfirmation);
    expect(trigger?.handler).toBe("src/trigger.handler");
    expect(trigger?.invokePermissions).toContainEqual({
      principal: "cognito-idp.amazonaws.com",
      action: "lambda:InvokeFunction",
      sourceArn: pool?.arn,
    });
    expect(pool).toMatchObject({
      id: expect.stringMatching(/^us-east-1_[0-9A-Za-z]{9}$/),
      usernameAttributes: ["email"],
      usernameCaseSensitive: false,
    });
    expect(pool?.clients[0]?.id).toMatch(/^[a-z0-9]{26}$/);
  });

  it("keeps what run() returns, under its own keys", () => {
    const { app } = planLocalApp(fixture, postConfirmationOnly);
    const open = app.httpApis.find((api) => api.origin.name === "Open");
    expect(Object.keys(app.outputs).sort()).toEqual(
      ["clientId", "openUrl", "ordersTable", "secureUrl", "userPoolId"].sort(),
    );
    expect(app.outputs.openUrl).toBe(open?.deployedUrl);
  });

  it("names each resource the same in every evaluation, so local data keeps its place", async () => {
    const again = await evaluateLocal(await fixtureRoot(), { UNRELATED: "1" });
    const names = (evaluation: Evaluation) =>
      planLocalApp(evaluation, postConfirmationOnly).app.tables.map((table) => table.name);
    expect(names(again)).toEqual(names(fixture));
  });

  it("refuses a trigger the local pool does not run, naming the pool and the trigger", () => {
    const { refusals } = planLocalApp(fixture, { supportedTriggers: new Set() });
    expect(describeRefusals(refusals)).toContain(
      "Pool, sst:aws:CognitoUserPool (it makes aws:cognito/userPool:UserPool): its PostConfirmation trigger is not emulated by the local user pool",
    );
  });
});

describe("what the local stack can't serve", () => {
  it("is refused at start by name, with its SST component and what to do instead", async () => {
    const evaluation = await evaluateLocal(await fixtureRoot(), { LOCAL_FIXTURE_EXTRA: "bucket" });
    const { refusals } = planLocalApp(evaluation, postConfirmationOnly);
    expect(new Set(refusals.map((r) => `${r.origin.component} ${r.origin.name}`))).toEqual(
      new Set(["sst:aws:Bucket Uploads"]),
    );
    const message = describeRefusals(refusals);
    expect(message.split("\n")).toHaveLength(2);
    expect(message).toMatch(/Uploads, sst:aws:Bucket \(it makes aws:s3\/bucket:Bucket/);
    expect(message).toContain("S3 is not emulated locally");
    expect(message).toContain('$app.stage !== "local"');
  });

  it("refuses a grant with a condition, which the local IAM check does not evaluate", async () => {
    const evaluation = await evaluateLocal(await fixtureRoot(), {
      LOCAL_FIXTURE_EXTRA: "condition",
    });
    const { refusals } = planLocalApp(evaluation, postConfirmationOnly);
    expect(refusals.map((refusal) => refusal.origin.name)).toEqual(["Conditional"]);
    expect(describeRefusals(refusals)).toContain(
      "a policy statement with Condition, NotAction or NotResource is not evaluated by the local IAM check",
    );
  });

  it("is listed as having no local effect when nothing a client does could tell", async () => {
    const { app, refusals } = planLocalApp(await evaluateLocal(repoRoot), {
      supportedTriggers: new Set(SUPPORTED_TRIGGERS),
    });
    expect(refusals).toEqual([]);
    const types = new Set(app.ignored.map((item) => item.type));
    // This project's monitoring; an adopter's app may add more of the kind.
    for (const type of [
      "aws:cloudwatch/logGroup:LogGroup",
      "aws:cloudwatch/logMetricFilter:LogMetricFilter",
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "aws:sns/topic:Topic",
    ]) {
      expect(types).toContain(type);
    }
    expect(describeIgnored(app)).toContainEqual(
      expect.stringMatching(/^Api5xx, PostConfirmationErrors: CloudWatch alarms do not fire/),
    );
  });
});

describe("localize", () => {
  it("replaces deployed values inside any string, longest first, and leaves the rest", () => {
    const replacements = new Map([
      ["https://abc.execute-api.us-east-1.amazonaws.com", "http://127.0.0.1:3000"],
      ["https://abc", "never"],
    ]);
    expect(
      localize(
        {
          url: "https://abc.execute-api.us-east-1.amazonaws.com",
          nested: ["GET https://abc.execute-api.us-east-1.amazonaws.com/me", 3, null],
          untouched: "https://abd",
        },
        replacements,
      ),
    ).toEqual({
      url: "http://127.0.0.1:3000",
      nested: ["GET http://127.0.0.1:3000/me", 3, null],
      untouched: "https://abd",
    });
  });
});
