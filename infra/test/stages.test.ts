import { devOrigins } from "@userprofile/functions/api/routes";
import { beforeAll, describe, expect, it } from "vitest";
import {
  assetBucket,
  childrenOf,
  type Evaluation,
  inlineStatements,
  ofType,
  only,
} from "./evaluate";
import { appResources, expectedWebEnvironment, linksOf, text, triggerHandler } from "./resources";
import { evaluations } from "./stages";

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
