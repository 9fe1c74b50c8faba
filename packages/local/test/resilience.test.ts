import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminGetUserCommand,
  ConfirmSignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { postConfirmationFunction } from "@userprofile/functions/definitions";
import { afterAll, describe, expect, it } from "vitest";
import { configureAmplifyInNode, srpSignIn } from "../testing/amplify-node";
import { api, latestCode, PASSWORD, rawItem, signUp, signUpAndConfirm, uniqueEmail } from "./flows";
import { startLocalTarget, type Target, withEnvironment } from "./target";

const started: Target[] = [];
afterAll(async () => {
  await Promise.all(started.map((target) => target.stop()));
});

describe("a failing Post Confirmation trigger", () => {
  it("reaches the client as UserLambdaValidationException; the user stays confirmed; GET /me heals the profile", async () => {
    // Fault: the trigger's DynamoDB endpoint refuses connections, so its real
    // SDK call fails inside Cognito's window.
    const target = await startLocalTarget({
      transform: withEnvironment(postConfirmationFunction.handler, {
        AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:9",
      }),
    });
    started.push(target);
    configureAmplifyInNode(target);
    const email = uniqueEmail("orphan");
    const sub = await signUp(target, email, { given_name: "Orphan", family_name: "Annie" });

    const confirmation = target.cognito.send(
      new ConfirmSignUpCommand({
        ClientId: target.userPoolClientId,
        Username: email,
        ConfirmationCode: await latestCode(target, email, "signup"),
      }),
    );
    await expect(confirmation).rejects.toMatchObject({
      name: "UserLambdaValidationException",
      message: expect.stringMatching(
        /^PostConfirmation failed with error .*profile could not be saved/,
      ),
    });
    const user = await target.cognito.send(
      new AdminGetUserCommand({ UserPoolId: target.userPoolId, Username: sub }),
    );
    expect(user.UserStatus).toBe("CONFIRMED");
    expect(await rawItem(target, sub)).toBeUndefined();

    const { accessToken } = await srpSignIn(email, PASSWORD);
    const healed = await api(target, "GET", "/me", { token: accessToken });
    expect(healed).toMatchObject({
      status: 200,
      body: { userId: sub, email, firstName: "Orphan", lastName: "Annie" },
    });
    expect(await rawItem(target, sub)).toMatchObject({ UserID: { S: sub }, Email: { S: email } });
    const again = await api(target, "GET", "/me", { token: accessToken });
    expect(again.body).toEqual(healed.body);
  });

  it("PATCH on an orphaned user heals first and then applies the change", async () => {
    const target = started[0] as Target;
    const email = uniqueEmail("orphan-patch");
    const sub = await signUp(target, email);
    await target.cognito
      .send(
        new ConfirmSignUpCommand({
          ClientId: target.userPoolClientId,
          Username: email,
          ConfirmationCode: await latestCode(target, email, "signup"),
        }),
      )
      .catch(() => {});
    const { idToken } = await srpSignIn(email, PASSWORD);
    const patched = await api(target, "PATCH", "/me", {
      token: idToken,
      body: JSON.stringify({ firstName: "Healed" }),
    });
    expect(patched).toMatchObject({
      status: 200,
      body: { userId: sub, email, firstName: "Healed" },
    });
  });
});

describe("a restart", () => {
  it("keeps users and profiles: sign-in and GET /me still work", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "local-restart-"));
    try {
      const first = await startLocalTarget({ dataDir, keepData: true });
      configureAmplifyInNode(first);
      const email = uniqueEmail("restart");
      const sub = await signUpAndConfirm(first, email, { given_name: "Persistent" });
      const before = await rawItem(first, sub);
      const { userPoolId, userPoolClientId } = first;
      await first.stop();

      const second = await startLocalTarget({ dataDir, keepData: true });
      try {
        expect({
          userPoolId: second.userPoolId,
          userPoolClientId: second.userPoolClientId,
        }).toEqual({
          userPoolId,
          userPoolClientId,
        });
        configureAmplifyInNode(second);
        const { idToken } = await srpSignIn(email, PASSWORD);
        const profile = await api(second, "GET", "/me", { token: idToken });
        expect(profile).toMatchObject({
          status: 200,
          body: { userId: sub, firstName: "Persistent", createdAt: before?.CreatedAt?.S },
        });
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
