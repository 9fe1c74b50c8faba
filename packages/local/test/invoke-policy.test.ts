import { request as httpRequest } from "node:http";
import { apiRoutes } from "@userprofile/functions/api/routes";
import { postConfirmationFunction } from "@userprofile/functions/definitions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configureAmplifyInNode, srpSignIn } from "../testing/amplify-node";
import { api, errorName, PASSWORD, rawItem, signUp, uniqueEmail } from "./flows";
import { functionWithHandler, startLocalTarget, type Target } from "./target";

let target: Target;
let _ports: Record<string, string>;

beforeAll(async () => {
  target = await startLocalTarget();
  const outputs = target.local?.stack.outputs as Record<string, string>;
  _ports = {
    api: outputs.apiUrl as string,
    cognito: outputs.cognitoEndpoint as string,
    dynamodb: outputs.dynamodbEndpoint as string,
    lambda: outputs.lambdaEndpoint as string,
    mailbox: outputs.mailboxUrl as string,
    control: outputs.controlUrl as string,
  };
});

afterAll(async () => {
  await target?.stop();
});

/** A request with headers fetch would not let a test set (Host). */
function _send(
  url: string,
  init: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
) {
  const { hostname, port } = new URL(url);
  return new Promise<{ status: number; headers: Record<string, unknown>; json: unknown }>(
    (resolve, reject) => {
      const request = httpRequest(
        {
          host: hostname,
          port,
          method: init.method ?? "GET",
          path: init.path ?? "/",
          headers: init.headers,
        },
        (response) => {
          let text = "";
          response.setEncoding("utf8");
          response.on("data", (chunk) => {
            text += chunk;
          });
          response.on("end", () => {
            let json: unknown = text;
            try {
              json = JSON.parse(text);
            } catch {}
            resolve({ status: response.statusCode ?? 0, headers: response.headers, json });
          });
        },
      );
      request.on("error", reject);
      request.end(init.body);
    },
  );
}

const _trigger = () =>
  functionWithHandler(target.local?.stack.app as never, postConfirmationFunction.handler);
const _invocations = (name: string) => `/2015-03-31/functions/${name}/invocations`;

describe("the functions' resource policies, for the services that invoke them", () => {
  it("a function whose policy names neither Cognito nor API Gateway is not invoked by them", async () => {
    const getMe = apiRoutes.find((route) => route.method === "GET")?.handler as string;
    const stripped = await startLocalTarget({
      transform: (app) => {
        functionWithHandler(app, postConfirmationFunction.handler).invokePermissions = [];
        functionWithHandler(app, getMe).invokePermissions = [];
      },
    });
    try {
      const email = uniqueEmail("no-permission");
      const sub = await signUp(stripped, email);
      const { AdminConfirmSignUpCommand } = await import(
        "@aws-sdk/client-cognito-identity-provider"
      );
      expect(
        await errorName(
          stripped.cognito.send(
            new AdminConfirmSignUpCommand({ UserPoolId: stripped.userPoolId, Username: email }),
          ),
        ),
      ).toBe("UnexpectedLambdaException");
      expect(await rawItem(stripped, sub)).toBeUndefined();
      // The confirmation stands, as on AWS; API Gateway, refused too, answers 500.
      configureAmplifyInNode(stripped);
      const { idToken } = await srpSignIn(email, PASSWORD);
      const me = await api(stripped, "GET", "/me", { token: idToken });
      expect(me).toMatchObject({ status: 500, body: { message: "Internal Server Error" } });
    } finally {
      await stripped.stop();
    }
  });
});
