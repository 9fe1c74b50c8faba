import {
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
} from "@aws-sdk/client-dynamodb";
import { apiRoutes } from "@userprofile/functions/api/routes";
import { postConfirmationFunction } from "@userprofile/functions/definitions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessKeyIdFor } from "../src/iam";
import { configureAmplifyInNode, srpSignIn } from "../testing/amplify-node";
import {
  api,
  errorName,
  latestCode,
  PASSWORD,
  rawItem,
  signUp,
  signUpAndConfirm,
  uniqueEmail,
} from "./flows";
import { functionWithHandler, startLocalTarget, type Target, withoutAction } from "./target";

function handlerOf(method: string) {
  const route = apiRoutes.find((candidate) => candidate.method === method);
  if (!route) throw new Error(`No ${method} route`);
  return route.handler;
}

/** The physical name and role of the function that runs a handler in this stack. */
function deployed(target: Target, handler: string) {
  const stack = target.local?.stack;
  if (!stack) throw new Error("A local stack is needed");
  const fn = functionWithHandler(stack.app, handler);
  return { name: fn.name, label: fn.origin.name, role: fn.role.name };
}

/** What a function's SDK calls look like from the outside: its own key, nothing else. */
function clientsSigningAs(target: Target, functionName: string) {
  const aws = {
    region: target.region,
    credentials: { accessKeyId: accessKeyIdFor(functionName), secretAccessKey: "local" },
  };
  return {
    dynamodb: new DynamoDBClient({
      ...aws,
      endpoint: target.local?.stack.outputs.dynamodbEndpoint,
    }),
    cognito: new CognitoIdentityProviderClient({ ...aws, endpoint: target.cognitoEndpoint }),
  };
}

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata?: { httpStatusCode?: number } };
  }
  throw new Error("expected the call to be refused");
}

describe("the local DynamoDB and user pool, called with a function's key", () => {
  let target: Target;
  let sub: string;

  beforeAll(async () => {
    target = await startLocalTarget();
    sub = await signUpAndConfirm(target, uniqueEmail("iam-direct"));
  });
  afterAll(async () => {
    await target?.stop();
  });

  it("refuses an action outside the function's grants with DynamoDB's AccessDeniedException", async () => {
    const trigger = deployed(target, postConfirmationFunction.handler);
    const { dynamodb } = clientsSigningAs(target, trigger.name);
    const error = await rejection(
      dynamodb.send(
        new GetItemCommand({ TableName: target.usersTable, Key: { UserID: { S: sub } } }),
      ),
    );
    expect(error.name).toBe("AccessDeniedException");
    expect(error.$metadata?.httpStatusCode).toBe(400);
    expect(error.message).toBe(
      `User: arn:aws:sts::000000000000:assumed-role/${trigger.role}/${trigger.name} is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:${target.region}:000000000000:table/${target.usersTable} because no identity-based policy allows the dynamodb:GetItem action`,
    );
    dynamodb.destroy();
  });

  it("refuses a granted action on another table", async () => {
    const { dynamodb } = clientsSigningAs(
      target,
      deployed(target, postConfirmationFunction.handler).name,
    );
    const error = await rejection(
      dynamodb.send(new PutItemCommand({ TableName: "Audit", Item: { UserID: { S: "x" } } })),
    );
    expect(error.name).toBe("AccessDeniedException");
    expect(error.message).toContain(
      `dynamodb:PutItem on resource: arn:aws:dynamodb:${target.region}:000000000000:table/Audit`,
    );
    dynamodb.destroy();
  });

  it("refuses an IAM-authorized user-pool call outside the grants with Cognito's AccessDeniedException", async () => {
    // The trigger has no user-pool grants at all.
    const { cognito } = clientsSigningAs(
      target,
      deployed(target, postConfirmationFunction.handler).name,
    );
    const error = await rejection(
      cognito.send(new AdminGetUserCommand({ UserPoolId: target.userPoolId, Username: sub })),
    );
    expect(error.name).toBe("AccessDeniedException");
    expect(error.$metadata?.httpStatusCode).toBe(400);
    expect(error.message).toMatch(
      new RegExp(
        `is not authorized to perform: cognito-idp:AdminGetUser on resource: arn:aws:cognito-idp:${target.region}:000000000000:userpool/${target.userPoolId} because no identity-based policy allows the cognito-idp:AdminGetUser action$`,
      ),
    );
    expect(
      await errorName(cognito.send(new ListUsersCommand({ UserPoolId: target.userPoolId }))),
    ).toBe("AccessDeniedException");
    cognito.destroy();
  });

  it("lets a function do what it is granted, and public user-pool calls need no grant", async () => {
    const getMe = deployed(target, handlerOf("GET")).name;
    const { dynamodb, cognito } = clientsSigningAs(target, getMe);
    const { Item } = await dynamodb.send(
      new GetItemCommand({ TableName: target.usersTable, Key: { UserID: { S: sub } } }),
    );
    expect(Item?.UserID?.S).toBe(sub);
    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: target.userPoolId, Username: sub }),
    );
    expect(user.Username).toBe(sub);
    // SignUp is unauthenticated on AWS: IAM is not consulted, whoever signs it.
    const email = uniqueEmail("iam-public");
    await expect(
      cognito.send(
        new ConfirmSignUpCommand({
          ClientId: target.userPoolClientId,
          Username: email,
          ConfirmationCode: "000000",
        }),
      ),
    ).rejects.toMatchObject({ name: expect.not.stringMatching(/AccessDenied/) });
    dynamodb.destroy();
    cognito.destroy();
  });

  it("keeps full access for keys it did not issue (tests, tools, reconcile)", async () => {
    const { Items } = await target.dynamodb.send(new ScanCommand({ TableName: target.usersTable }));
    expect(Items?.length).toBeGreaterThan(0);
    await target.dynamodb.send(
      new DeleteItemCommand({ TableName: target.usersTable, Key: { UserID: { S: "nobody" } } }),
    );
    await target.cognito.send(new ListUsersCommand({ UserPoolId: target.userPoolId }));
  });
});

/**
 * Removing any one grant makes its route fail as it would on AWS: a 500 from
 * the API (or UserLambdaValidationException for the trigger) and the SDK's
 * AccessDeniedException in the function's log. The scenarios reach every
 * grant: GET and PATCH on a user whose profile is missing (the heal path),
 * DELETE on a user with one, POST /me/email-sync on a user whose verified email changed.
 */
const cases: Array<{ handler: string; grant: string; method?: string; path?: string }> = [
  ...apiRoutes.flatMap((route) =>
    [
      ...route.grants.table.map((action) => `dynamodb:${action}`),
      ...route.grants.userPool.map((action) => `cognito-idp:${action}`),
    ].map((grant) => ({ handler: route.handler, method: route.method, path: route.path, grant })),
  ),
  ...postConfirmationFunction.grants.table.map((action) => ({
    handler: postConfirmationFunction.handler,
    grant: `dynamodb:${action}`,
  })),
];

describe("a grant removed from one function", () => {
  it("covers every grant of every route and of the trigger", () => {
    const total = apiRoutes.reduce(
      (n, r) => n + r.grants.table.length + r.grants.userPool.length,
      0,
    );
    expect(cases).toHaveLength(total + postConfirmationFunction.grants.table.length);
  });

  it.each(cases)(
    "$handler without $grant fails, with the denial in its log",
    async ({ handler, grant, method, path }) => {
      const log: string[] = [];
      const target = await startLocalTarget({
        transform: withoutAction(handler, grant),
        log: (line) => log.push(line),
      });
      const fn = deployed(target, handler);
      try {
        configureAmplifyInNode(target);
        const email = uniqueEmail("iam-grant");
        if (!method) {
          await signUp(target, email);
          const confirmation = target.cognito.send(
            new ConfirmSignUpCommand({
              ClientId: target.userPoolClientId,
              Username: email,
              ConfirmationCode: await latestCode(target, email, "signup"),
            }),
          );
          expect(await errorName(confirmation)).toBe("UserLambdaValidationException");
        } else {
          const sub = await signUpAndConfirm(target, email);
          const { idToken } = await srpSignIn(email, PASSWORD);
          if (method === "POST") {
            // A newly verified email the profile doesn't hold yet: the sync reaches every grant.
            await target.cognito.send(
              new AdminUpdateUserAttributesCommand({
                UserPoolId: target.userPoolId,
                Username: sub,
                UserAttributes: [
                  { Name: "email", Value: uniqueEmail("iam-new") },
                  { Name: "email_verified", Value: "true" },
                ],
              }),
            );
          } else if (method !== "DELETE") {
            // A confirmed user without a profile: the route must heal, reaching every grant.
            await target.dynamodb.send(
              new DeleteItemCommand({ TableName: target.usersTable, Key: { UserID: { S: sub } } }),
            );
            expect(await rawItem(target, sub)).toBeUndefined();
          }
          const result = await api(target, method, path ?? "/me", {
            token: idToken,
            ...(method === "PATCH" ? { body: JSON.stringify({ firstName: "Denied" }) } : {}),
          });
          expect(result).toMatchObject({
            status: 500,
            body: { error: { code: "internal_error" } },
          });
        }
        expect(log).toContainEqual(
          expect.stringMatching(
            new RegExp(
              `^iam: ${fn.name} was refused ${grant}: User: arn:aws:sts::000000000000:assumed-role/${fn.role}/${fn.name} is not authorized to perform: ${grant} on resource: \\S+ because no identity-based policy allows the ${grant} action$`,
            ),
          ),
        );
        expect(log).toContainEqual(
          expect.stringMatching(new RegExp(`^${fn.label} .*"errorName":"AccessDeniedException"`)),
        );
      } finally {
        await target.stop();
      }
    },
    // A fresh stack per case builds every bundle anew; on a loaded machine that takes a while.
    180_000,
  );
});
