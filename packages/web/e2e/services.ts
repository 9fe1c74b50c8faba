import {
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { expect, type Page, type Request } from "@playwright/test";
import { localCredentials as credentials, quietSdkNodeWarning } from "@userprofile/core/aws-tools";
import { outputs } from "./helpers";

/**
 * The local stack's services called directly, past the browser: the user pool
 * and DynamoDB through the AWS SDK (as against AWS), and the local-only control.
 */

quietSdkNodeWarning();

let userPoolClient: CognitoIdentityProviderClient | undefined;
let dynamodbClient: DynamoDBClient | undefined;

function userPool() {
  const { region, cognitoEndpoint } = outputs();
  userPoolClient ??= new CognitoIdentityProviderClient({
    region,
    endpoint: cognitoEndpoint,
    credentials,
  });
  return userPoolClient;
}

function dynamodb() {
  const { region, dynamodbEndpoint } = outputs();
  dynamodbClient ??= new DynamoDBClient({ region, endpoint: dynamodbEndpoint, credentials });
  return dynamodbClient;
}

/** The refresh flow Amplify v6 uses. */
export function getTokensFromRefreshToken(refreshToken: string) {
  return userPool().send(
    new GetTokensFromRefreshTokenCommand({
      ClientId: outputs().userPoolClientId,
      RefreshToken: refreshToken,
    }),
  );
}

export function refreshTokenAuth(refreshToken: string) {
  return userPool().send(
    new InitiateAuthCommand({
      ClientId: outputs().userPoolClientId,
      AuthFlow: "REFRESH_TOKEN_AUTH",
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    }),
  );
}

/** Whether the pool keeps a changed email unused until it is verified (UserAttributeUpdateSettings). */
export async function keepsEmailUntilVerified(): Promise<boolean> {
  const { UserPool } = await userPool().send(
    new DescribeUserPoolCommand({ UserPoolId: outputs().userPoolId }),
  );
  const settings = UserPool?.UserAttributeUpdateSettings;
  return settings?.AttributesRequireVerificationBeforeUpdate?.includes("email") ?? false;
}

export function getUser(accessToken: string) {
  return userPool().send(new GetUserCommand({ AccessToken: accessToken }));
}

/** The profile item as stored, or undefined when the table has none for this user. */
export async function profileItem(userId: string) {
  const { Item } = await dynamodb().send(
    new GetItemCommand({
      TableName: outputs().usersTable,
      Key: { UserID: { S: userId } },
      ConsistentRead: true,
    }),
  );
  return Item;
}

/** The tokens Amplify v6 keeps in localStorage for the signed-in user, if any. */
export async function storedTokens(page: Page) {
  return page.evaluate((clientId) => {
    const prefix = `CognitoIdentityServiceProvider.${clientId}`;
    const username = localStorage.getItem(`${prefix}.LastAuthUser`);
    if (!username) return undefined;
    const token = (name: string) => localStorage.getItem(`${prefix}.${username}.${name}`);
    const [idToken, accessToken, refreshToken] = ["idToken", "accessToken", "refreshToken"].map(
      token,
    );
    if (!idToken || !accessToken || !refreshToken) return undefined;
    return { idToken, accessToken, refreshToken };
  }, outputs().userPoolClientId);
}

/** Rewrites Amplify's stored tokens in localStorage, as time passing or a revoked session would. */
export async function editStoredTokens(
  page: Page,
  edit: { expire?: boolean; breakRefreshToken?: boolean },
) {
  return page.evaluate((edit) => {
    const b64url = (text: string) =>
      btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    const fromB64url = (text: string) => atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    const changed: string[] = [];
    for (const key of Object.keys(localStorage)) {
      if (edit.expire && /\.(idToken|accessToken)$/.test(key)) {
        const [header, payload, signature] = (localStorage.getItem(key) ?? "").split(".");
        const claims = JSON.parse(fromB64url(payload ?? ""));
        claims.exp = Math.floor(Date.now() / 1000) - 60;
        localStorage.setItem(key, `${header}.${b64url(JSON.stringify(claims))}.${signature}`);
        changed.push(key);
      }
      if (edit.breakRefreshToken && key.endsWith(".refreshToken")) {
        localStorage.setItem(key, "revoked");
        changed.push(key);
      }
    }
    return changed;
  }, edit);
}

/** A JWT's claims, unverified: the test reads what the app sent, it does not trust it. */
export function claimsOf(jwt: string): Record<string, unknown> {
  const payload = jwt.split(".")[1] ?? "";
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
}

/** The user pool operation a browser request calls, e.g. "ConfirmSignUp". */
export function userPoolOperation(request: Request): string | undefined {
  return request.headers()["x-amz-target"]?.replace(/^AWSCognitoIdentityProviderService\./, "");
}

async function control(method: "POST" | "DELETE", path: string, body?: unknown) {
  const response = await fetch(`${outputs().controlUrl}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  expect(response.status, `${method} ${path}`).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

/** Moves the local stack's clock forward: codes and tokens age as if that much time had passed. */
export const advanceClock = (seconds: number) =>
  control("POST", "/clock", { advanceSeconds: seconds });

export const resetClock = () => control("DELETE", "/clock");

/** The next `count` Post Confirmation attempts fail as a throwing function would. */
export const failNextTriggers = (count: number) => control("POST", "/trigger-failures", { count });

export async function remainingTriggerFailures(): Promise<number> {
  const response = await fetch(`${outputs().controlUrl}/trigger-failures`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { remaining: number }).remaining;
}
