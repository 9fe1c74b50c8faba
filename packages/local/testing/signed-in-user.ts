import { randomUUID } from "node:crypto";
import {
  AdminConfirmSignUpCommand,
  CognitoIdentityProviderClient,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { LocalStack } from "../src/stack/index";
import { configureAmplifyInNode, srpSignIn } from "./amplify-node";

export interface PoolTarget {
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  /** The local pool's endpoint (`cognitoEndpoint` in .local/outputs.json). */
  cognitoEndpoint: string;
}

export interface SignedInUserOptions {
  email?: string;
  password?: string;
  attributes?: Record<string, string>;
  /** With a stack whose app has several pools or clients: their SST component names. */
  pool?: string;
  client?: string;
}

/**
 * A new confirmed user of a local pool, signed in with Amplify's SRP flow as the web app
 * signs in: its `sub`, email, password and tokens. For tests of routes behind the JWT
 * authorizer. Email-as-username pools (the username is the email). Given a running stack,
 * the pool is the one its app declares (or `options.pool`), and the client its first one.
 */
export async function signedInUser(
  target: PoolTarget | LocalStack,
  options: SignedInUserOptions = {},
) {
  const pool = "app" in target ? poolOf(target, options) : target;
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

function poolOf(stack: LocalStack, options: SignedInUserOptions): PoolTarget {
  const { userPools } = stack.app;
  const named = (name: string | undefined, of: { origin: { name: string } }) =>
    name === undefined || of.origin.name === name;
  const pools = userPools.filter((candidate) => named(options.pool, candidate));
  const [pool] = pools;
  if (pools.length !== 1 || !pool) {
    throw new Error(
      `signedInUser: the app has ${pools.length} user pools${options.pool ? ` named ${options.pool}` : ""} (${userPools.map((each) => each.origin.name).join(", ")}); pass { pool }.`,
    );
  }
  const client = pool.clients.find((candidate) => named(options.client, candidate));
  if (!client)
    throw new Error(
      `signedInUser: pool ${pool.origin.name} has no client ${options.client ?? ""}.`,
    );
  return {
    region: stack.app.region,
    userPoolId: pool.id,
    userPoolClientId: client.id,
    cognitoEndpoint: stack.outputs.cognitoEndpoint as string,
  };
}
