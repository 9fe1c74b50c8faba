import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localCredentials } from "../src/dynamodb";
import { accessKeyIdFor } from "../src/iam";
import type { LocalOutputs } from "../src/stack";
import { cliEnvironment, startCli, waitFor } from "./cli-process";
import { signedHeaders } from "./signed";

/**
 * Every port of a running `dev:local` gets malformed requests; the stack must
 * answer what it can, keep running and keep serving. It runs as its own
 * process, so a crash shows as an exit rather than taking the test with it.
 */

let dir: string;
let cli: ReturnType<typeof startCli>;
let outputs: LocalOutputs & { apiUrl: string; userPoolId: string; usersTable: string };
let lambdaEndpoint: string;
let ports: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "local-bad-input-"));
  const env = { ...(await cliEnvironment(dir)), LOCAL_WEB: "false" };
  lambdaEndpoint = `http://127.0.0.1:${env.LOCAL_LAMBDA_PORT}`;
  cli = startCli(env);
  await waitFor(() => existsSync(env.LOCAL_OUTPUTS_FILE), "outputs.json");
  outputs = JSON.parse(readFileSync(env.LOCAL_OUTPUTS_FILE, "utf8"));
  ports = {
    api: outputs.apiUrl,
    lambda: lambdaEndpoint,
    mailbox: outputs.mailboxUrl,
    cognito: outputs.cognitoEndpoint as string,
    dynamodb: outputs.dynamodbEndpoint,
    control: outputs.controlUrl,
  };
});

afterAll(async () => {
  cli?.kill();
  await rm(dir, { recursive: true, force: true });
});

/** Sends raw bytes, optionally hanging up before the declared body arrived; resolves with what came back. */
function raw(url: string, bytes: string, hangUp = false) {
  const { hostname, port } = new URL(url);
  return new Promise<string>((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(bytes);
      if (hangUp) setTimeout(() => socket.destroy(), 50);
    });
    let reply = "";
    socket.setTimeout(5_000, () => socket.destroy());
    socket.on("data", (chunk) => {
      reply += chunk;
    });
    socket.on("close", () => resolve(reply));
    socket.on("error", () => resolve(reply));
  });
}

const functionKey = `AWS4-HMAC-SHA256 Credential=${accessKeyIdFor("Api-GET-me")}/20260101/us-east-1/x/aws4_request, SignedHeaders=host, Signature=0`;

async function expectStackServing() {
  expect(cli.child.exitCode).toBeNull();
  expect(JSON.parse(readFileSync(join(dir, "outputs.json"), "utf8")).pid).toBe(cli.child.pid);
  expect((await fetch(`${outputs.apiUrl}/me`)).status).toBe(401);
  expect(await (await fetch(`${outputs.mailboxUrl}/a%40example.com`)).json()).toEqual([]);
  expect((await fetch(`${outputs.controlUrl}/clock`)).status).toBe(200);
  const aws = { region: outputs.region, credentials: localCredentials };
  const cognito = new CognitoIdentityProviderClient({ ...aws, endpoint: outputs.cognitoEndpoint });
  const dynamodb = new DynamoDBClient({ ...aws, endpoint: outputs.dynamodbEndpoint });
  try {
    const pool = await cognito.send(
      new DescribeUserPoolCommand({ UserPoolId: outputs.userPoolId }),
    );
    expect(pool.UserPool?.Id).toBe(outputs.userPoolId);
    const table = await dynamodb.send(new DescribeTableCommand({ TableName: outputs.usersTable }));
    expect(table.Table?.TableStatus).toBe("ACTIVE");
  } finally {
    cognito.destroy();
    dynamodb.destroy();
  }
  const ignored = { triggerSource: "PostConfirmation_ConfirmForgotPassword", request: {} };
  const listed = (await (
    await fetch(`${lambdaEndpoint}/2015-03-31/functions/`, { headers: signedHeaders("lambda") })
  ).json()) as {
    Functions: { FunctionName: string }[];
  };
  const trigger = listed.Functions.find((fn) => fn.FunctionName.includes("PostConfirmation"));
  const invoked = await fetch(
    `${lambdaEndpoint}/2015-03-31/functions/${trigger?.FunctionName}/invocations`,
    {
      method: "POST",
      headers: signedHeaders("lambda"),
      body: JSON.stringify(ignored),
    },
  );
  expect(invoked.status).toBe(200);
  expect(await invoked.json()).toEqual(ignored);
}

describe("malformed requests to every port", () => {
  it("the stack answers before any of them", async () => {
    await expectStackServing();
  });

  it.each(["api", "lambda", "mailbox", "cognito", "dynamodb", "control"])(
    "%s: survives unparseable URLs, garbage, oversized headers and clients that hang up mid-body",
    async (name) => {
      const url = ports[name] as string;
      const replies = await Promise.all([
        raw(url, "GET http://[ HTTP/1.1\r\nHost: x\r\n\r\n"),
        raw(url, "\u0016\u0003\u0001\u0000 not http at all\r\n\r\n"),
        raw(url, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(80_000)}\r\n\r\n`),
        raw(
          url,
          'POST /2015-03-31/functions/PostConfirmation/invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810.GetItem\r\nContent-Length: 1000\r\n\r\n{"TableName":',
          true,
        ),
        raw(
          url,
          `POST / HTTP/1.1\r\nHost: x\r\nAuthorization: ${functionKey}\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AWSCognitoIdentityProviderService.AdminGetUser\r\nContent-Length: 1000\r\n\r\n{"User`,
          true,
        ),
      ]);
      // Each gets an answer, never a 5xx or a hang (hang-ups get nothing). dynalite, like DynamoDB, answers any GET as a health check.
      for (const reply of replies.slice(0, 3)) expect(reply).toMatch(/^HTTP\/1\.1 [234]\d\d/);
      await expectStackServing();
    },
  );

  it.each(["api", "lambda", "mailbox", "cognito", "dynamodb", "control"])(
    "%s: answers bodies that are not JSON, odd methods and malformed paths with a 4xx",
    async (name) => {
      const url = ports[name] as string;
      const requests: Array<[string, string, RequestInit]> = [
        [
          "POST",
          "/",
          {
            body: "{oops",
            headers: {
              "content-type": "application/x-amz-json-1.0",
              "x-amz-target": "DynamoDB_20120810.GetItem",
              authorization: functionKey,
            },
          },
        ],
        [
          "POST",
          "/",
          {
            body: "{oops",
            headers: {
              "content-type": "application/x-amz-json-1.1",
              "x-amz-target": "AWSCognitoIdentityProviderService.AdminGetUser",
              authorization: functionKey,
            },
          },
        ],
        [
          "POST",
          "/",
          {
            body: "{oops",
            headers: {
              "content-type": "application/x-amz-json-1.1",
              "x-amz-target": "AWSCognitoIdentityProviderService.SignUp",
            },
          },
        ],
        ["POST", "/2015-03-31/functions/PostConfirmation/invocations", { body: "{oops" }],
        ["PATCH", "/me", { body: "\u0000\u0001", headers: { authorization: "Bearer x.y.z" } }],
        ["PUT", "/%E0%A4%A", { body: "x" }],
        ["DELETE", "/%", {}],
        ["GET", "//../..//", {}],
      ];
      for (const [method, path, init] of requests) {
        const response = await fetch(`${url}${path}`, { method, ...init });
        expect(response.status, `${method} ${path}`).toBeGreaterThanOrEqual(200);
        expect(response.status, `${method} ${path}`).toBeLessThan(500);
        await response.arrayBuffer();
      }
      await expectStackServing();
    },
  );
});
