import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { localCredentials } from "@userprofile/core/aws-tools";
import {
  ephemeralConfig,
  type LocalOutputs,
  type LocalStack,
  startLocalStack,
} from "@userprofile/local";
import { configureAmplifyInNode, srpSignIn as signInWithSrp } from "@userprofile/local/testing";
import type { BundleResult } from "./bundles";
import { lambdaEnvironment } from "./child";
import { type Summary, summarize } from "./stats";
import { type ColdResult, coldStarts, pairedDifference, warmCases } from "./trigger";

export const PASSWORD = "Bench-Passw0rd!";

/** What this app's `run()` returns (sst.config.ts), beside the local endpoints. */
export type BenchOutputs = LocalOutputs & {
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  cognitoEndpoint: string;
  apiUrl: string;
  usersTable: string;
};

export interface StackHandle {
  stack: LocalStack;
  outputs: BenchOutputs;
  cognito: CognitoIdentityProviderClient;
  stop(): Promise<void>;
}

/** The local stack in this process on free ports, backend only, data in a temp dir. */
export async function startBenchStack(): Promise<StackHandle> {
  const dataDir = await mkdtemp(join(tmpdir(), "bench-stack-"));
  const stack = await startLocalStack(ephemeralConfig(dataDir));
  const outputs = stack.outputs as BenchOutputs;
  const cognito = new CognitoIdentityProviderClient({
    region: outputs.region,
    endpoint: outputs.cognitoEndpoint,
    credentials: localCredentials,
  });
  configureAmplifyInNode(outputs);
  return {
    stack,
    outputs,
    cognito,
    async stop() {
      cognito.destroy();
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
export const benchEmail = (tag: string) => `bench.${tag}.${process.pid}.${++counter}@example.com`;

export async function signUp(h: StackHandle, email: string) {
  const result = await h.cognito.send(
    new SignUpCommand({
      ClientId: h.outputs.userPoolClientId,
      Username: email,
      Password: PASSWORD,
      UserAttributes: [{ Name: "email", Value: email }],
    }),
  );
  return result.UserSub as string;
}

export async function confirm(h: StackHandle, email: string) {
  const response = await fetch(`${h.outputs.mailboxUrl}/${encodeURIComponent(email)}`);
  const mail = (await response.json()) as Array<{ kind: string; code: string }>;
  const code = mail.filter((m) => m.kind === "signup").at(-1)?.code;
  if (!code) throw new Error(`No code for ${email}`);
  const started = performance.now();
  await h.cognito.send(
    new ConfirmSignUpCommand({
      ClientId: h.outputs.userPoolClientId,
      Username: email,
      ConfirmationCode: code,
    }),
  );
  return performance.now() - started;
}

/** SRP sign-in with Amplify v6, as the web app does. */
export async function srpSignIn(email: string) {
  return (await signInWithSrp(email, PASSWORD)).idToken;
}

async function call(h: StackHandle, method: string, token: string | null, body?: string) {
  const started = performance.now();
  const response = await fetch(`${h.outputs.apiUrl}/me`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { "content-type": "application/json" } : {}),
    },
    ...(body ? { body } : {}),
  });
  await response.arrayBuffer();
  const elapsed = performance.now() - started;
  return { status: response.status, elapsed };
}

export interface ApiResult {
  gateway: { getMe: Summary; patchMe: Summary; unauthorized: Summary };
  handler: { getMe: Summary; patchMe: Summary; bareGet: Summary; getOverhead: Summary };
  getMeCold: ColdResult | undefined;
}

/** Sequential requests, the three kinds interleaved. */
export async function apiLatency(
  h: StackHandle,
  bundles: { getMe: BundleResult; patchMe: BundleResult; bare: BundleResult },
  iterations: number,
  coldRuns: number,
): Promise<ApiResult> {
  const email = benchEmail("api");
  const sub = await signUp(h, email);
  await confirm(h, email);
  const token = await srpSignIn(email);
  const times = { get: [] as number[], patch: [] as number[], unauthorized: [] as number[] };
  const warmup = Math.min(50, Math.ceil(iterations / 5));
  for (let i = 0; i < warmup + iterations; i++) {
    const get = await call(h, "GET", token);
    const patch = await call(h, "PATCH", token, JSON.stringify({ firstName: `N${i}` }));
    const unauthorized = await call(h, "GET", null);
    if (get.status !== 200 || patch.status !== 200 || unauthorized.status !== 401) {
      throw new Error(`Unexpected statuses ${get.status} ${patch.status} ${unauthorized.status}`);
    }
    if (i < warmup) continue;
    times.get.push(get.elapsed);
    times.patch.push(patch.elapsed);
    times.unauthorized.push(unauthorized.elapsed);
  }

  const { outputs } = h;
  const event = (routeKey: string, body?: string) => ({
    version: "2.0",
    routeKey,
    rawPath: "/me",
    rawQueryString: "",
    headers: { "content-type": "application/json" },
    requestContext: {
      accountId: "000000000000",
      apiId: "bench",
      authorizer: {
        jwt: { claims: { sub, "cognito:username": sub, token_use: "id" }, scopes: null },
      },
      domainName: "bench",
      domainPrefix: "bench",
      http: {
        method: routeKey.split(" ")[0],
        path: "/me",
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: "bench",
      },
      requestId: "bench",
      routeKey,
      stage: "$default",
      time: "",
      timeEpoch: 0,
    },
    ...(body ? { body, isBase64Encoded: false } : { isBase64Encoded: false }),
  });
  const env = lambdaEnvironment({
    AWS_REGION: outputs.region,
    AWS_ENDPOINT_URL_DYNAMODB: outputs.dynamodbEndpoint,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: outputs.cognitoEndpoint,
    SST_RESOURCE_App: JSON.stringify({ name: "userprofile", stage: "bench" }),
    SST_RESOURCE_UsersTable: JSON.stringify({ name: outputs.usersTable, type: "sst.sst.Linkable" }),
    SST_RESOURCE_UserPool: JSON.stringify({ id: outputs.userPoolId, type: "sst.sst.Linkable" }),
  });
  const [getMeCold] = await coldStarts(
    [{ name: "GET /me", bundle: bundles.getMe, event: () => event("GET /me") }],
    coldRuns,
    env,
  );
  const direct = await warmCases(
    [
      {
        name: "get",
        bundle: bundles.getMe.file,
        exportName: "handler",
        args: [event("GET /me"), {}],
      },
      {
        name: "patch",
        bundle: bundles.patchMe.file,
        exportName: "handler",
        args: [event("PATCH /me", JSON.stringify({ lastName: "L{{id}}".slice(0, 40) })), {}],
      },
      {
        name: "bare",
        bundle: bundles.bare.file,
        exportName: "getProfile",
        args: [outputs.usersTable, sub],
      },
    ],
    iterations,
    warmup,
    env,
  );
  const getTimes = direct.get ?? [];
  const bareTimes = direct.bare ?? [];
  return {
    gateway: {
      getMe: summarize(times.get),
      patchMe: summarize(times.patch),
      unauthorized: summarize(times.unauthorized),
    },
    handler: {
      getMe: summarize(getTimes),
      patchMe: summarize(direct.patch ?? []),
      bareGet: summarize(bareTimes),
      getOverhead: summarize(pairedDifference(getTimes, bareTimes)),
    },
    getMeCold,
  };
}

export interface FlowResult {
  users: number;
  flowsPerSecond: number;
  flowMs: Summary;
  signUpMs: Summary;
  confirmMs: Summary;
  signInMs: Summary;
  readMs: Summary;
}

/** Sign-up, confirm (the trigger runs), SRP sign-in, first GET /me; one user after another. */
export async function flows(h: StackHandle, count: number, users: number): Promise<FlowResult> {
  const t = {
    flow: [] as number[],
    signUp: [] as number[],
    confirm: [] as number[],
    signIn: [] as number[],
    read: [] as number[],
  };
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const email = benchEmail("flow");
    await signUp(h, email);
    t.signUp.push(performance.now() - t0);
    t.confirm.push(await confirm(h, email));
    const t1 = performance.now();
    const token = await srpSignIn(email);
    t.signIn.push(performance.now() - t1);
    const read = await call(h, "GET", token);
    if (read.status !== 200) throw new Error(`GET /me answered ${read.status}`);
    t.read.push(read.elapsed);
    t.flow.push(performance.now() - t0);
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    users,
    flowsPerSecond: count / seconds,
    flowMs: summarize(t.flow),
    signUpMs: summarize(t.signUp),
    confirmMs: summarize(t.confirm),
    signInMs: summarize(t.signIn),
    readMs: summarize(t.read),
  };
}

/** Signs up and confirms users a few at a time until the pool holds `total`. */
export async function fillPool(h: StackHandle, from: number, total: number, parallel = 4) {
  let next = from;
  const worker = async () => {
    while (next < total) {
      next += 1;
      const email = benchEmail("fill");
      await signUp(h, email);
      await confirm(h, email);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}
