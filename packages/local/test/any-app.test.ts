import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ephemeralConfig } from "../src/config";
import { type LocalStack, startLocalStack, UnservableAppError } from "../src/stack/index";
import { copyFixtureApp } from "../testing/fixture-app";
import { signedInUser } from "../testing/signed-in-user";
import { fixtureRoot } from "./fixture";

/**
 * An app the project does not ship (test/fixtures/app: two APIs, a table with a sort key and
 * indexes, a pool with a trigger), served with no change to packages/local, from a copy of it
 * so that the tests can edit its sst.config.ts as a developer would.
 */
const credentials = { accessKeyId: "test", secretAccessKey: "test" };

interface FixtureOutputs {
  openUrl: string;
  secureUrl: string;
  ordersTable: string;
  userPoolId: string;
  clientId: string;
  region: string;
  cognitoEndpoint: string;
  dynamodbEndpoint: string;
}

async function waitFor<T>(what: string, attempt: () => Promise<T | undefined>, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await attempt().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("an app written the SST way, served as it declares", () => {
  let root: string;
  let removeCopy: () => Promise<void>;
  let dataDir: string;
  let stack: LocalStack;
  let outputs: FixtureOutputs;
  const log: string[] = [];

  beforeAll(async () => {
    const copy = await copyFixtureApp();
    root = copy.root;
    removeCopy = copy.remove;
    dataDir = await mkdtemp(join(tmpdir(), "any-app-"));
    const config = { ...ephemeralConfig(dataDir), root, watchInfra: true };
    stack = await startLocalStack(config, { log: (line) => log.push(line) });
    await stack.functionsBuilt();
    outputs = stack.outputs as unknown as FixtureOutputs;
  });
  afterAll(async () => {
    await stack?.stop();
    await removeCopy?.();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("writes what run() returns, with the local APIs' URLs", () => {
    expect(outputs.openUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(outputs.secureUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(outputs.secureUrl).not.toBe(outputs.openUrl);
    expect(outputs.ordersTable).toMatch(/^fixture-local-OrdersTable-[a-z]{8}$/);
    expect(outputs.userPoolId).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
  });

  it("writes sst-env.d.ts with the app's linkable resources, as sst dev does", async () => {
    const types = await readFile(join(root, "sst-env.d.ts"), "utf8");
    expect(types).toContain('declare module "sst"');
    expect(types).toMatch(
      /"Orders": \{\n(\s+"\w+": \w+\n)*\s+"name": string\n\s+"type": "sst\.aws\.Dynamo"/,
    );
  });

  it("evaluates once: a second start of the unchanged app reads the evaluation from the cache", async () => {
    expect(log).toContainEqual(expect.stringMatching(/^sst\.config\.ts evaluated \(\d+ ms\)/));
    const otherData = await mkdtemp(join(tmpdir(), "any-app-again-"));
    const again: string[] = [];
    const second = await startLocalStack(
      { ...ephemeralConfig(otherData), root },
      { log: (line) => again.push(line) },
    );
    try {
      expect(again).toContainEqual(
        expect.stringMatching(/^sst\.config\.ts unchanged since the last evaluation/),
      );
      expect(second.app.tables.map((table) => table.name)).toEqual(
        stack.app.tables.map((table) => table.name),
      );
    } finally {
      await second.stop();
      await rm(otherData, { recursive: true, force: true });
    }
  });

  it("routes a path variable to its function, which queries the table's index", async () => {
    const dynamodb = new DynamoDBClient({
      region: outputs.region,
      endpoint: outputs.dynamodbEndpoint,
      credentials,
    });
    await dynamodb.send(
      new PutItemCommand({
        TableName: outputs.ordersTable,
        Item: { customer: { S: "ada" }, placedAt: { N: "1" }, status: { S: "shipped" } },
      }),
    );
    dynamodb.destroy();
    const response = await fetch(`${outputs.openUrl}/items/shipped`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: "shipped",
      items: [{ customer: { S: "ada" }, placedAt: { N: "1" }, status: { S: "shipped" } }],
    });
  });

  it("serves greedy paths and $default with the routeKey API Gateway sends", async () => {
    const greedy = (await (await fetch(`${outputs.openUrl}/files/a/b.txt`)).json()) as {
      routeKey: string;
      pathParameters: Record<string, string>;
    };
    expect(greedy).toMatchObject({
      routeKey: "ANY /files/{proxy+}",
      pathParameters: { proxy: "a/b.txt" },
    });
    const fallback = (await (
      await fetch(`${outputs.openUrl}/anything`, { method: "POST" })
    ).json()) as {
      routeKey: string;
    };
    expect(fallback.routeKey).toBe("$default");
  });

  it("holds the second API behind the pool's JWT authorizer; the pool's trigger runs", async () => {
    expect((await fetch(`${outputs.secureUrl}/me`)).status).toBe(401);
    // The fixture finds the app's only pool and client itself (here "Pool", not the project's).
    const { email, idToken, sub } = await signedInUser(stack);
    const response = await fetch(`${outputs.secureUrl}/me`, {
      headers: { authorization: `Bearer ${idToken}` },
    });
    expect(response.status).toBe(200);
    const event = (await response.json()) as {
      requestContext: { authorizer: { jwt: { claims: Record<string, string> } } };
    };
    expect(event.requestContext.authorizer.jwt.claims).toMatchObject({ email, sub });
    expect(log).toContainEqual(
      expect.stringMatching(/^PoolTriggerpostConfirmation confirmed [0-9a-f-]{36}$/),
    );
  });

  it("picks up a route added to sst.config.ts while it runs, keeping the data", async () => {
    const routeOf = async (path: string) =>
      ((await (await fetch(`${outputs.openUrl}${path}`)).json()) as { routeKey: string }).routeKey;
    expect(await routeOf("/health")).toBe("$default");
    const config = join(root, "sst.config.ts");
    const source = await readFile(config, "utf8");
    await writeFile(config, source.replace('=== "route") open.route', '!== "none") open.route'));
    await waitFor("the added route", async () =>
      (await routeOf("/health")) === "GET /health" ? true : undefined,
    );
    expect(log).toContainEqual(expect.stringMatching(/^Applied the change to sst\.config\.ts/));
    const kept = (await (await fetch(`${outputs.openUrl}/items/shipped`)).json()) as {
      items: unknown[];
    };
    expect(kept.items).toHaveLength(1);
  });

  it("prints an app that fails to evaluate, and keeps serving what it served", async () => {
    const config = join(root, "sst.config.ts");
    const source = await readFile(config, "utf8");
    await writeFile(config, `${source}\nthis is not TypeScript\n`);
    await waitFor("the evaluation error", async () =>
      log.some((line) => line.includes("could not be evaluated")) ? true : undefined,
    );
    expect(log).toContainEqual(
      expect.stringContaining("The local stack keeps serving the app as it was."),
    );
    const health = (await (await fetch(`${outputs.openUrl}/health`)).json()) as {
      routeKey: string;
    };
    expect(health.routeKey).toBe("GET /health");
    await writeFile(config, source);
  });
});

describe("an app with a resource the local stack can't serve", () => {
  it("refuses to start, naming the resource, its component and what to do instead", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "any-app-refused-"));
    const previous = process.env.LOCAL_FIXTURE_EXTRA;
    process.env.LOCAL_FIXTURE_EXTRA = "bucket";
    try {
      const config = { ...ephemeralConfig(dataDir), root: await fixtureRoot() };
      const started = startLocalStack(config);
      await expect(started).rejects.toBeInstanceOf(UnservableAppError);
      await expect(started).rejects.toThrow(
        /Uploads, sst:aws:Bucket \(it makes aws:s3\/bucket:Bucket.*\): S3 is not emulated locally\. Keep it out of the local stage/,
      );
    } finally {
      if (previous === undefined) delete process.env.LOCAL_FIXTURE_EXTRA;
      else process.env.LOCAL_FIXTURE_EXTRA = previous;
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
