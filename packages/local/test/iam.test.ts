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
import { dynamodbAccess } from "../src/dynamodb";
import {
  accessKeyIdFor,
  accessKeyIdOf,
  allows,
  cognitoOperation,
  evaluate,
  LOCAL_ACCOUNT_ID,
  LocalIam,
} from "../src/iam";
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

describe("the local IAM model", () => {
  it("reads the access key from a SigV4 Authorization header or a presigned URL", () => {
    const signed = (authorization: string) => ({ headers: { authorization }, url: "/" });
    expect(
      accessKeyIdOf(
        signed(
          "AWS4-HMAC-SHA256 Credential=LOCALABC/20260101/eu-central-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc",
        ),
      ),
    ).toBe("LOCALABC");
    expect(
      accessKeyIdOf(
        signed(
          "AWS4-HMAC-SHA256 SignedHeaders=host,Signature=x,Credential = KEY2/x/y/z/aws4_request",
        ),
      ),
    ).toBe("KEY2");
    expect(
      accessKeyIdOf({
        headers: {},
        url: "/?X-Amz-Credential=KEY3%2F20260101%2Fus-east-1%2Fs3%2Faws4_request",
      }),
    ).toBe("KEY3");
    for (const authorization of [
      "",
      "Bearer abc",
      "AWS4-HMAC-SHA256 Credential=",
      "AWS4-HMAC-SHA256 Credential=/x",
    ]) {
      expect(accessKeyIdOf(signed(authorization))).toBeUndefined();
    }
    expect(accessKeyIdOf({ headers: {}, url: "http://[" })).toBeUndefined();
  });

  it("gives each function its own stable key", () => {
    expect(accessKeyIdFor("Api-GET-me")).toMatch(/^LOCAL[0-9A-F]{15}$/);
    expect(accessKeyIdFor("Api-GET-me")).toBe(accessKeyIdFor("Api-GET-me"));
    expect(accessKeyIdFor("Api-GET-me")).not.toBe(accessKeyIdFor("PostConfirmation"));
  });

  it("allows an action only on a resource of a statement that lists it (wildcards as IAM has them)", () => {
    const table = "arn:aws:dynamodb:eu-central-1:000000000000:table/Users";
    const statements = [
      {
        effect: "Allow" as const,
        actions: ["dynamodb:GetItem", "cognito-idp:Admin*"],
        resources: [table, "arn:aws:cognito-idp:*:000000000000:userpool/local_?bc"],
      },
    ];
    expect(allows(statements, "dynamodb:GetItem", table)).toBe(true);
    expect(allows(statements, "DynamoDB:getitem", table)).toBe(true);
    expect(allows(statements, "dynamodb:PutItem", table)).toBe(false);
    expect(allows(statements, "dynamodb:GetItem", `${table}2`)).toBe(false);
    expect(allows(statements, "dynamodb:GetItem", `${table}/index/ByEmail`)).toBe(false);
    expect(
      allows(
        statements,
        "cognito-idp:AdminGetUser",
        "arn:aws:cognito-idp:us-east-1:000000000000:userpool/local_abc",
      ),
    ).toBe(true);
    expect(
      allows(
        statements,
        "cognito-idp:AdminGetUser",
        "arn:aws:cognito-idp:us-east-1:000000000000:userpool/local_abcd",
      ),
    ).toBe(false);
    expect(allows([], "dynamodb:GetItem", table)).toBe(false);
  });

  it("lets an explicit Deny win over any Allow, and names it in the refusal", () => {
    const table = "arn:aws:dynamodb:eu-central-1:000000000000:table/Users";
    const allowAll = { effect: "Allow" as const, actions: ["dynamodb:*"], resources: ["*"] };
    const denyDelete = {
      effect: "Deny" as const,
      actions: ["dynamodb:DeleteItem"],
      resources: [table],
    };
    expect(evaluate([allowAll, denyDelete], "dynamodb:DeleteItem", table)).toBe("explicit-deny");
    expect(evaluate([allowAll, denyDelete], "dynamodb:GetItem", table)).toBe("allow");
    expect(evaluate([denyDelete], "dynamodb:GetItem", table)).toBe("implicit-deny");
    const iam = new LocalIam();
    iam.addFunction("Fn", { name: "Fn-role", statements: [allowAll, denyDelete] });
    expect(iam.check(accessKeyIdFor("Fn"), "dynamodb:DeleteItem", [table])?.message).toBe(
      `User: arn:aws:sts::000000000000:assumed-role/Fn-role/Fn is not authorized to perform: dynamodb:DeleteItem on resource: ${table} with an explicit deny in an identity-based policy`,
    );
    expect(iam.check(accessKeyIdFor("Fn"), "dynamodb:GetItem", [table])).toBeNull();
  });

  it("names the action and every table a DynamoDB request touches", () => {
    const arn = (name: string) => `arn:aws:dynamodb:eu-central-1:000000000000:table/${name}`;
    const access = (target: string, body: unknown) =>
      dynamodbAccess(target, body, "eu-central-1", LOCAL_ACCOUNT_ID);
    expect(access("DynamoDB_20120810.GetItem", { TableName: "Users" })).toEqual([
      { action: "dynamodb:GetItem", resources: [arn("Users")] },
    ]);
    expect(access("DynamoDB_20120810.Query", { TableName: "Users", IndexName: "ByEmail" })).toEqual(
      [{ action: "dynamodb:Query", resources: [`${arn("Users")}/index/ByEmail`] }],
    );
    expect(
      access("DynamoDB_20120810.BatchWriteItem", { RequestItems: { Users: [], Audit: [] } }),
    ).toEqual([{ action: "dynamodb:BatchWriteItem", resources: [arn("Users"), arn("Audit")] }]);
    expect(access("DynamoDB_20120810.ListTables", {})).toEqual([
      { action: "dynamodb:ListTables", resources: ["*"] },
    ]);
    expect(access("Nonsense", {})).toBeNull();
  });

  it("asks a transaction for each part's own action on its table, as AWS authorizes them", () => {
    const arn = (name: string) => `arn:aws:dynamodb:eu-central-1:000000000000:table/${name}`;
    const access = (target: string, body: unknown) =>
      dynamodbAccess(target, body, "eu-central-1", LOCAL_ACCOUNT_ID);
    expect(
      access("DynamoDB_20120810.TransactWriteItems", {
        TransactItems: [
          { Put: { TableName: "Users" } },
          { ConditionCheck: { TableName: "Users" } },
          { Update: { TableName: "Audit" } },
          { Delete: { TableName: "Audit" } },
          { Put: { TableName: "Audit" } },
        ],
      }),
    ).toEqual([
      { action: "dynamodb:PutItem", resources: [arn("Users"), arn("Audit")] },
      { action: "dynamodb:ConditionCheckItem", resources: [arn("Users")] },
      { action: "dynamodb:UpdateItem", resources: [arn("Audit")] },
      { action: "dynamodb:DeleteItem", resources: [arn("Audit")] },
    ]);
    expect(
      access("DynamoDB_20120810.TransactGetItems", {
        TransactItems: [{ Get: { TableName: "Users" } }, { Get: { TableName: "Audit" } }],
      }),
    ).toEqual([{ action: "dynamodb:GetItem", resources: [arn("Users"), arn("Audit")] }]);
  });

  it("checks only the user-pool operations Cognito authorizes with IAM", () => {
    expect(cognitoOperation("AWSCognitoIdentityProviderService.AdminGetUser")).toBe("AdminGetUser");
    expect(cognitoOperation("AWSCognitoIdentityProviderService.ListUsers")).toBe("ListUsers");
    for (const open of [
      "SignUp",
      "ConfirmSignUp",
      "InitiateAuth",
      "RespondToAuthChallenge",
      "GetUser",
    ]) {
      expect(cognitoOperation(`AWSCognitoIdentityProviderService.${open}`)).toBeNull();
    }
    expect(cognitoOperation(undefined)).toBeNull();
  });
});

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
