import { randomUUID } from "node:crypto";
import {
  AdminConfirmSignUpCommand,
  CognitoIdentityProviderClient,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { configureAmplifyInNode, srpSignIn } from "./amplify-node";

export interface PoolTarget {
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  /** The local pool's endpoint (`cognitoEndpoint` in .local/outputs.json). */
  cognitoEndpoint: string;
}

/**
 * A new confirmed user of a local pool, signed in with Amplify's SRP flow as the web app
 * signs in: its `sub`, email, password and tokens. For tests of routes behind the JWT
 * authorizer. Email-as-username pools (the username is the email).
 */
export async function signedInUser(
  pool: PoolTarget,
  options: { email?: string; password?: string; attributes?: Record<string, string> } = {},
) {
  const email = options.email ?? `user-${randomUUID()}@example.com`;
  const password = options.password ?? `Pw-${randomUUID()}!`;
  const cognito = new CognitoIdentityProviderClient({
    region: pool.region,
    endpoint: pool.cognitoEndpoint,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  try {
    const { UserSub } = await cognito.send(
      new SignUpCommand({
        ClientId: pool.userPoolClientId,
        Username: email,
        Password: password,
        UserAttributes: [
          { Name: "email", Value: email },
          ...Object.entries(options.attributes ?? {}).map(([Name, Value]) => ({ Name, Value })),
        ],
      }),
    );
    await cognito.send(
      new AdminConfirmSignUpCommand({ UserPoolId: pool.userPoolId, Username: email }),
    );
    configureAmplifyInNode(pool);
    const tokens = await srpSignIn(email, password);
    return { sub: UserSub as string, email, password, ...tokens };
  } finally {
    cognito.destroy();
  }
}
