import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { prerenderedPages } from "@userprofile/web/routes";
import {
  connectOrigins,
  contentSecurityPolicy,
  staticSecurityHeaders,
} from "@userprofile/web/site/headers";
import { fileFor, NOT_FOUND_PAGE } from "@userprofile/web/site/routing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accountId,
  type Evaluation,
  evaluate,
  ofType,
  only,
  type RecordedResource,
  repoRoot,
} from "./evaluate";
import { appResources, expectedWebEnvironment, text } from "./resources";

/**
 * What the deployed site answers, checked by running SST's own CloudFront
 * functions (their code as the stage deploys it) against the key-value
 * entries the stage writes, for a site built as packages/web builds it.
 */

/** The files `pnpm run build` writes (one page per route, see packages/web/build/prerender.ts). */
const builtFiles = [
  ...prerenderedPages.map((page) => page.file),
  "favicon.svg",
  "assets/app-0a1b2c3d.js",
  "assets/sign-in-4e5f6a7b.js",
];

/** This repository with packages/web replaced by a built site holding `files`. */
function projectWithBuiltSite(files: string[]): string {
  const root = mkdtempSync(join(tmpdir(), "infra-web-site-"));
  for (const entry of readdirSync(repoRoot)) {
    if (![".git", "node_modules", "packages"].includes(entry)) {
      symlinkSync(join(repoRoot, entry), join(root, entry));
    }
  }
  mkdirSync(join(root, "packages"));
  for (const entry of readdirSync(join(repoRoot, "packages"))) {
    if (entry !== "web")
      symlinkSync(join(repoRoot, "packages", entry), join(root, "packages", entry));
    else mkdirSync(join(root, "packages", "web", "dist"), { recursive: true });
  }
  for (const file of files) {
    const path = join(root, "packages", "web", "dist", file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${file}\n`);
  }
  return root;
}

interface Kvs {
  get(key: string): Promise<string>;
}

/** The key-value store as the stage fills it: the router's routes and the site's entries. */
function keyValueStore(evaluation: Evaluation): Map<string, string> {
  const entries = new Map<string, string>();
  const dynamic = (name: string) =>
    only(
      ofType(evaluation, "pulumi-nodejs:dynamic:Resource").filter((r) => r.name === name),
      name,
    ).inputs;
  const routes = dynamic("WebRoutesUpdate.sst.aws.KvRoutesUpdate");
  entries.set(`${routes.namespace}:${routes.key}`, JSON.stringify([routes.entry]));
  const site = dynamic("WebKvKeys.sst.aws.KvKeys");
  for (const [key, value] of Object.entries(site.entries as Record<string, string>)) {
    entries.set(`${site.namespace}:${key}`, value);
  }
  return entries;
}

/** A CloudFront Functions (cloudfront-js-2.0) handler from its code, with `cf` backed by `entries`. */
function cloudFrontFunction(code: string, entries: Map<string, string>) {
  const origins: unknown[] = [];
  const kvs: Kvs = {
    async get(key) {
      const value = entries.get(key);
      if (value === undefined) throw new Error(`KVS key not found: ${key}`);
      return value;
    },
  };
  const cf = { kvs: () => kvs, updateRequestOrigin: (origin: unknown) => origins.push(origin) };
  const source = code.replace(/^\s*import cf from "cloudfront";\s*$/m, "");
  const handler = new Function("cf", `${source}\nreturn handler;`)(cf) as (
    event: unknown,
  ) => Promise<Record<string, unknown>>;
  return { handler, origins };
}

function functionNamed(evaluation: Evaluation, name: string): RecordedResource {
  return only(
    ofType(evaluation, "aws:cloudfront/function:Function").filter((f) => f.name === name),
    name,
  );
}

describe("the deployed site, built as packages/web builds it", () => {
  let root: string;
  let alice: Evaluation;
  let entries: Map<string, string>;
  let bucketDomain: string;

  beforeAll(async () => {
    root = projectWithBuiltSite(builtFiles);
    alice = await evaluate({ stage: "alice", root, sites: [] });
    entries = keyValueStore(alice);
    bucketDomain = text(
      only(ofType(alice, "aws:s3/bucket:Bucket"), "assets bucket"),
      "bucketRegionalDomainName",
    );
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** Runs the router's request function: the S3 key it asks for, and S3's answer given the files. */
  async function request(uri: string) {
    const { handler, origins } = cloudFrontFunction(
      text(functionNamed(alice, "WebRouterCloudfrontFunctionRequest"), "code"),
      entries,
    );
    const event = {
      request: {
        uri,
        method: "GET",
        querystring: {},
        headers: { host: { value: "d111111abcdef8.cloudfront.net" } },
        cookies: {},
      },
    };
    const forwarded = (await handler(event)) as { uri: string };
    expect(origins).toEqual([expect.objectContaining({ domainName: bucketDomain })]);
    const key = forwarded.uri;
    return { key, status: builtFiles.includes(key.slice(1)) ? 200 : 404 };
  }

  const routes = ["/", "/sign-in", "/sign-up", "/confirm", "/forgot-password", "/profile"];

  it("answers every route with its own prerendered page, status 200", async () => {
    for (const path of routes) {
      const { key, status } = await request(path);
      expect(status, path).toBe(200);
      expect(key, path).toBe(path === "/" ? "/index.html" : `${path}.html`);
    }
  });

  it("answers any other path with the not-found page, status 200", async () => {
    for (const path of ["/nope", "/profile/extra", "/sign-up/"]) {
      expect(await request(path), path).toEqual({ key: `/${NOT_FOUND_PAGE}`, status: 200 });
    }
  });

  it("serves assets, and a missing one with a real 404 (not the app's page)", async () => {
    expect(await request("/assets/app-0a1b2c3d.js")).toEqual({
      key: "/assets/app-0a1b2c3d.js",
      status: 200,
    });
    expect(await request("/favicon.svg")).toEqual({ key: "/favicon.svg", status: 200 });
    expect(await request("/assets/app-00000000.js")).toEqual({
      key: "/assets/app-00000000.js",
      status: 404,
    });
  });

  it("is routed exactly as the local servers route it (packages/web/site/routing.ts)", async () => {
    const files = new Set(builtFiles.map((file) => `/${file}`));
    for (const path of [...routes, "/nope", "/sign-up/", "/assets/x.js", "/favicon.svg"]) {
      expect((await request(path)).key, path).toBe(fileFor(files, path, NOT_FOUND_PAGE).key);
    }
  });

  it("lets S3 answer 404 for a missing key: CloudFront may list the bucket, from this distribution only", () => {
    const policy = JSON.parse(
      text(only(ofType(alice, "aws:s3/bucketPolicy:BucketPolicy"), "bucket policy"), "policy"),
    ) as { Statement: Record<string, unknown>[] };
    const distribution = only(
      ofType(alice, "aws:cloudfront/distribution:Distribution"),
      "distribution",
    );
    const bucket = only(ofType(alice, "aws:s3/bucket:Bucket"), "assets bucket");
    expect(policy.Statement).toContainEqual({
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: [text(bucket, "arn")],
      Principal: { Service: ["cloudfront.amazonaws.com"] },
      Condition: { StringEquals: { "AWS:SourceArn": [text(distribution, "arn")] } },
    });
    expect(text(distribution, "arn")).toContain(accountId);
  });
});

/** The headers a response headers policy makes CloudFront send, by lower-case name. */
function headersOf(policy: RecordedResource): Record<string, string> {
  const security = policy.inputs.securityHeadersConfig as {
    strictTransportSecurity: { accessControlMaxAgeSec: number; includeSubdomains?: boolean };
    contentTypeOptions: object;
    referrerPolicy: { referrerPolicy: string };
    frameOptions: { frameOption: string };
  };
  const custom = (
    policy.inputs.customHeadersConfig as {
      items: { header: string; value: string }[];
    }
  ).items;
  return {
    "strict-transport-security": `max-age=${security.strictTransportSecurity.accessControlMaxAgeSec}${security.strictTransportSecurity.includeSubdomains ? "; includeSubDomains" : ""}`,
    ...(security.contentTypeOptions ? { "x-content-type-options": "nosniff" } : {}),
    "referrer-policy": security.referrerPolicy.referrerPolicy,
    "x-frame-options": security.frameOptions.frameOption,
    ...Object.fromEntries(custom.map((item) => [item.header.toLowerCase(), item.value])),
  };
}

describe("the site's security headers", () => {
  const evaluations = {
    alice: evaluate({ stage: "alice" }),
    aliceOnDomain: evaluate({ stage: "alice", env: { APP_DOMAIN: "example.com" } }),
    aliceDev: evaluate({ stage: "alice", dev: true }),
  };
  for (const evaluation of Object.values(evaluations)) evaluation.catch(() => undefined);

  /** What a page gets from the viewer-response function, given the store's entries. */
  async function responseHeaders(evaluation: Evaluation, store: Map<string, string>) {
    const fn = functionNamed(evaluation, "WebRouterCloudfrontFunctionResponse");
    const { handler } = cloudFrontFunction(text(fn, "code"), store);
    const response = (await handler({ response: { statusCode: 200, headers: {} } })) as {
      headers: Record<string, { value: string }>;
    };
    return response.headers;
  }

  function cspEntry(evaluation: Evaluation) {
    const key = only(
      ofType(evaluation, "aws:cloudfront/keyvaluestoreKey:KeyvaluestoreKey"),
      "CSP entry",
    );
    const store = only(
      ofType(evaluation, "aws:cloudfront/keyValueStore:KeyValueStore").filter(
        (s) => s.name === "WebHeaders",
      ),
      "headers store",
    );
    expect(key.inputs.keyValueStoreArn).toBe(text(store, "arn"));
    return { key: String(key.inputs.key), value: String(key.inputs.value), store };
  }

  it("send HSTS, nosniff, the referrer policy and the passkeys-only Permissions-Policy on every response", async () => {
    const alice = await evaluations.alice;
    const policy = only(
      ofType(alice, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy"),
      "response headers policy",
    );
    const distribution = only(
      ofType(alice, "aws:cloudfront/distribution:Distribution"),
      "distribution",
    );
    expect(
      (distribution.inputs.defaultCacheBehavior as Record<string, unknown>).responseHeadersPolicyId,
    ).toBe(text(policy, "id"));
    expect(headersOf(policy)).toEqual(staticSecurityHeaders);
  });

  it("send the CSP the site is built for: its user pool's endpoint and its API, nothing else", async () => {
    const alice = await evaluations.alice;
    const { key, value } = cspEntry(alice);
    const env = expectedWebEnvironment(alice);
    expect(value).toBe(contentSecurityPolicy({ connect: connectOrigins(env) }));
    expect(value).toContain(
      `connect-src https://cognito-idp.us-east-1.amazonaws.com ${new URL(env.VITE_API_URL).origin};`,
    );
    const headers = await responseHeaders(alice, new Map([[key, value]]));
    expect(headers["content-security-policy"]).toEqual({ value });
  });

  it("copy the CSP into every response from the store the function is given", async () => {
    const alice = await evaluations.alice;
    const { store } = cspEntry(alice);
    const fn = functionNamed(alice, "WebRouterCloudfrontFunctionResponse");
    expect(fn.inputs.keyValueStoreAssociations).toEqual([text(store, "arn")]);
    const distribution = only(
      ofType(alice, "aws:cloudfront/distribution:Distribution"),
      "distribution",
    );
    expect(
      (distribution.inputs.defaultCacheBehavior as { functionAssociations: unknown[] })
        .functionAssociations,
    ).toContainEqual({ eventType: "viewer-response", functionArn: text(fn, "arn") });
  });

  it("fall back to a policy that allows no call, never to none, if the store can't be read", async () => {
    const headers = await responseHeaders(await evaluations.alice, new Map());
    expect(headers["content-security-policy"]).toEqual({
      value: contentSecurityPolicy({ connect: [] }),
    });
    expect(headers["content-security-policy"]?.value).toContain("connect-src 'none'");
  });

  it("follow a custom domain: the API at api.<stage>.<domain>, and fit CloudFront's 1 KB per entry", async () => {
    const onDomain = await evaluations.aliceOnDomain;
    const { value } = cspEntry(onDomain);
    expect(value).toContain(
      "connect-src https://cognito-idp.us-east-1.amazonaws.com https://api.alice.example.com;",
    );
    expect(new TextEncoder().encode(value).byteLength).toBeLessThanOrEqual(1024);
  });

  it("are not made under sst dev, where the site is the Vite dev server", async () => {
    const dev = await evaluations.aliceDev;
    expect(ofType(dev, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy")).toEqual([]);
    expect(ofType(dev, "aws:cloudfront/keyvaluestoreKey:KeyvaluestoreKey")).toEqual([]);
    expect(appResources(dev).site.inputs).toBeDefined();
  });
});
