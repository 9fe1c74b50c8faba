import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LambdaService, startLambda } from "../src/lambda";
import { repoRoot } from "../src/paths";
import { signedHeaders } from "./signed";

let lambda: LambdaService;
let sourceDir: string;
let outDir: string;

const handlerSource = (reply: string) => `
export const handler = async (event) => ({ reply: ${JSON.stringify(reply)}, got: event, table: process.env.TABLE ?? null });
export const fails = async () => { throw new TypeError("bad input"); };
export const slow = () => new Promise((resolve) => setTimeout(resolve, 2000));
`;

beforeAll(async () => {
  // Handlers are addressed relative to the repo root, as SST does.
  sourceDir = join(repoRoot, ".local", `lambda-test-${process.pid}`);
  await mkdir(sourceDir, { recursive: true });
  await writeFile(join(sourceDir, "fn.ts"), handlerSource("first"));
  outDir = await mkdtemp(join(tmpdir(), "lambda-out-"));
  lambda = await startLambda({
    port: 0,
    root: repoRoot,
    outDir,
    region: "us-east-1",
    accountId: "000000000000",
  });
  const fn = (name: string, exportName: string, timeoutMs: number, environment = {}) => ({
    handler: `${relative(repoRoot, join(sourceDir, "fn"))}.${exportName}`,
    runtime: "nodejs24.x",
    properties: {},
    environment,
    timeoutMs,
    memoryMB: 128,
    arn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    label: name,
  });
  await lambda.deploy({
    Echo: fn("Echo", "handler", 3000, { TABLE: "Users" }),
    Fails: fn("Fails", "fails", 3000),
    Slow: fn("Slow", "slow", 200),
  });
});

afterAll(async () => {
  await lambda?.stop();
  await rm(sourceDir, { recursive: true, force: true });
  await rm(outDir, { recursive: true, force: true });
});

const invokeOverHttp = (name: string, event: unknown) =>
  fetch(`${lambda.endpoint}/2015-03-31/functions/${name}/invocations`, {
    method: "POST",
    headers: signedHeaders("lambda"),
    body: JSON.stringify(event),
  });

describe("the local Lambda service", () => {
  it("runs a handler with its own environment over the Invoke API", async () => {
    const response = await invokeOverHttp("Echo", { a: 1 });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-amz-function-error")).toBeNull();
    expect(await response.json()).toEqual({ reply: "first", got: { a: 1 }, table: "Users" });
  });

  it("signals a thrown error as AWS does", async () => {
    const response = await invokeOverHttp("Fails", {});
    expect(response.headers.get("x-amz-function-error")).toBe("Unhandled");
    expect(await response.json()).toEqual({ errorType: "TypeError", errorMessage: "bad input" });
  });

  it("times a slow handler out", async () => {
    const result = await lambda.invoke("Slow", {});
    expect(result).toEqual({
      ok: false,
      error: { errorType: "Sandbox.Timedout", errorMessage: "Task timed out after 0.20 seconds" },
    });
  });

  it("answers an unknown function as Lambda does: 404 ResourceNotFoundException naming its ARN", async () => {
    const response = await invokeOverHttp("Nope", {});
    expect(response.status).toBe(404);
    expect(response.headers.get("x-amzn-errortype")).toBe("ResourceNotFoundException");
    expect(await response.json()).toEqual({
      Type: "User",
      message: "Function not found: arn:aws:lambda:us-east-1:000000000000:function:Nope",
    });
  });

  it("accepts a function's ARN or partial ARN, and refuses a qualifier it does not have", async () => {
    for (const name of [
      "arn:aws:lambda:us-east-1:000000000000:function:Echo",
      "000000000000:function:Echo",
      "Echo:$LATEST",
    ]) {
      const response = await invokeOverHttp(encodeURIComponent(name), { a: 2 });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ got: { a: 2 } });
    }
    const versioned = await invokeOverHttp("Echo:7", {});
    expect(versioned.status).toBe(404);
    expect(versioned.headers.get("x-amzn-errortype")).toBe("ResourceNotFoundException");
  });

  it("answers a body that is not JSON with 400 InvalidRequestContentException, and keeps serving", async () => {
    for (const body of ["{oops", "not json at all", "\u0000\u0001"]) {
      const response = await fetch(`${lambda.endpoint}/2015-03-31/functions/Echo/invocations`, {
        method: "POST",
        headers: signedHeaders("lambda"),
        body,
      });
      expect(response.status).toBe(400);
      expect(response.headers.get("x-amzn-errortype")).toBe("InvalidRequestContentException");
      expect(await response.json()).toEqual({
        Type: "User",
        message: expect.stringMatching(/^Could not parse request body into json/),
      });
    }
    expect((await invokeOverHttp("Echo", { still: "up" })).status).toBe(200);
  });

  it("refuses a payload over 6 MB with 413 RequestTooLargeException", async () => {
    const response = await fetch(`${lambda.endpoint}/2015-03-31/functions/Echo/invocations`, {
      method: "POST",
      headers: signedHeaders("lambda"),
      body: JSON.stringify({ blob: "x".repeat(6 * 1024 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get("x-amzn-errortype")).toBe("RequestTooLargeException");
  });

  it("runs Event invocations in the background (202) and DryRun ones not at all (204)", async () => {
    const invoke = (type: string) =>
      fetch(`${lambda.endpoint}/2015-03-31/functions/Echo/invocations`, {
        method: "POST",
        headers: { ...signedHeaders("lambda"), "x-amz-invocation-type": type },
        body: "{}",
      });
    expect((await invoke("Event")).status).toBe(202);
    expect((await invoke("DryRun")).status).toBe(204);
    const unknown = await invoke("Sometimes");
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get("x-amzn-errortype")).toBe("InvalidParameterValueException");
  });

  it("refuses an unsigned call with 403 MissingAuthenticationTokenException, as Lambda does", async () => {
    for (const [method, path] of [
      ["POST", "/2015-03-31/functions/Echo/invocations"],
      ["GET", "/2015-03-31/functions/"],
    ] as const) {
      const response = await fetch(`${lambda.endpoint}${path}`, {
        method,
        ...(method === "POST" ? { body: "{}" } : {}),
      });
      expect(response.status).toBe(403);
      expect(response.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException");
      expect(await response.json()).toEqual({
        Type: "User",
        message: "Missing Authentication Token",
      });
    }
    const bearer = await fetch(`${lambda.endpoint}/2015-03-31/functions/Echo/invocations`, {
      method: "POST",
      headers: { authorization: "Bearer x.y.z" },
      body: "{}",
    });
    expect(bearer.status).toBe(403);
  });

  it("answers a body nested 200,000 levels deep with 400 InvalidRequestContentException", async () => {
    for (const body of [
      "[".repeat(200_000) + "]".repeat(200_000),
      `${'{"a":'.repeat(1001)}1${"}".repeat(1001)}`,
    ]) {
      const response = await fetch(`${lambda.endpoint}/2015-03-31/functions/Echo/invocations`, {
        method: "POST",
        headers: signedHeaders("lambda"),
        body,
      });
      expect(response.status).toBe(400);
      expect(response.headers.get("x-amzn-errortype")).toBe("InvalidRequestContentException");
    }
    let nested: unknown = 1;
    for (let level = 0; level < 999; level++) nested = { a: nested };
    expect((await invokeOverHttp("Echo", nested)).status).toBe(200);
  });

  it("answers other paths and methods with 404 UnknownOperationException", async () => {
    for (const [method, path] of [
      ["GET", "/2015-03-31/functions/Echo/invocations"],
      ["POST", "/"],
      ["POST", "/2015-03-31/functions/%E0%A4%A/invocations"],
    ] as const) {
      const response = await fetch(`${lambda.endpoint}${path}`, {
        method,
        headers: signedHeaders("lambda"),
      });
      expect([400, 404]).toContain(response.status);
      expect(response.headers.get("x-amzn-errortype")).toMatch(/Exception$/);
    }
  });

  it("picks up an edited handler on the next invocation, without a restart", async () => {
    await writeFile(join(sourceDir, "fn.ts"), handlerSource("second"));
    let reply: unknown;
    for (let attempt = 0; attempt < 100; attempt++) {
      const result = await lambda.invoke("Echo", {});
      reply = result.ok ? (result.payload as { reply: string }).reply : result.error;
      if (reply === "second") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(reply).toBe("second");
  });
});
