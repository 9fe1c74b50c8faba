import { describe, expect, it } from "vitest";
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
