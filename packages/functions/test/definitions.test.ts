import { describe, expect, it } from "vitest";
import { permissionsFor } from "../src/definitions";

const table = "arn:aws:dynamodb:us-east-1:123456789012:table/Users";
const userPool = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc";

describe("permissionsFor", () => {
  it("grants table actions on the table and pool actions on the pool, nothing else", () => {
    expect(
      permissionsFor(
        { table: ["GetItem", "PutItem"], userPool: ["AdminGetUser", "AdminDeleteUser"] },
        { table, userPool },
      ),
    ).toEqual([
      { actions: ["dynamodb:GetItem", "dynamodb:PutItem"], resources: [table] },
      {
        actions: ["cognito-idp:AdminGetUser", "cognito-idp:AdminDeleteUser"],
        resources: [userPool],
      },
    ]);
  });

  it("leaves out a service with no actions instead of granting an empty statement", () => {
    expect(permissionsFor({ table: ["PutItem"], userPool: [] }, { table })).toEqual([
      { actions: ["dynamodb:PutItem"], resources: [table] },
    ]);
    expect(permissionsFor({ table: [], userPool: ["AdminGetUser"] }, { table, userPool })).toEqual([
      { actions: ["cognito-idp:AdminGetUser"], resources: [userPool] },
    ]);
  });

  it("refuses pool actions without the pool's ARN rather than granting them on every pool", () => {
    expect(() => permissionsFor({ table: [], userPool: ["AdminGetUser"] }, { table })).toThrow(
      "User-pool grants need the pool's ARN; a wildcard would grant every pool.",
    );
  });
});
