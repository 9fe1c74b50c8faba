import { apiRoutes } from "@userprofile/functions/api/routes";
import { postConfirmationFunction } from "@userprofile/functions/definitions";
import { describe, expect, it } from "vitest";
import { configureAmplifyInNode, srpSignIn } from "../testing/amplify-node";
import { api, errorName, PASSWORD, rawItem, signUp, uniqueEmail } from "./flows";
import { functionWithHandler, startLocalTarget } from "./target";

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
