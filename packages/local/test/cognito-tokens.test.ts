import {
  AdminAddUserToGroupCommand,
  CreateGroupCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoJwtVerifier } from "aws-jwt-verify";
import type { Jwks } from "aws-jwt-verify/jwk";
import { decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserPoolSpec } from "../src/spec";
import {
  failure,
  type Harness,
  PASSWORD,
  poolSpec,
  signUpAndConfirm,
  startHarness,
  uniqueEmail,
} from "./cognito-harness";

const passwordClient = (spec: UserPoolSpec): UserPoolSpec => ({
  ...spec,
  clients: spec.clients.map((c) => ({
    ...c,
    explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  })),
});

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ spec: passwordClient });
});

afterAll(async () => {
  await h?.stop();
});

const signIn = async (
  harness: Harness,
  email: string,
  clientId = harness.pool.userPoolClientId,
) => {
  const { AuthenticationResult } = await harness.client.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD },
    }),
  );
  return AuthenticationResult as { IdToken: string; AccessToken: string };
};

/**
 * The supported way to verify local tokens with aws-jwt-verify: the verifier
 * is created exactly as for AWS; its JWKS is fetched from the user-pool
 * endpoint the AWS SDK uses (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER
 * locally, Cognito's own otherwise) and handed to `cacheJwks`.
 */
async function verifierFor(
  endpoint: string | undefined,
  region: string,
  props: { userPoolId: string; tokenUse: "id" | "access"; clientId: string; groups?: string },
) {
  const verifier = CognitoJwtVerifier.create(props);
  const base = endpoint ?? `https://cognito-idp.${region}.amazonaws.com`;
  const jwks = (await (
    await fetch(`${base}/${props.userPoolId}/.well-known/jwks.json`)
  ).json()) as Jwks;
  verifier.cacheJwks(jwks);
  return verifier;
}

describe("tokens an app verifies itself", () => {
  it("CognitoJwtVerifier accepts local tokens unchanged, with tokenUse, clientId and groups checks", async () => {
    const email = uniqueEmail("verify");
    await signUpAndConfirm(h, email);
    const group = `staff-${Date.now()}`;
    await h.client.send(
      new CreateGroupCommand({ UserPoolId: h.pool.userPoolId, GroupName: group }),
    );
    await h.client.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: h.pool.userPoolId,
        Username: email,
        GroupName: group,
      }),
    );
    const tokens = await signIn(h, email);
    const region = h.pool.userPoolId.split("_")[0] as string;
    const base = { userPoolId: h.pool.userPoolId, clientId: h.pool.userPoolClientId };
    const access = await verifierFor(h.pool.endpoint, region, {
      ...base,
      tokenUse: "access",
      groups: group,
    });
    const id = await verifierFor(h.pool.endpoint, region, { ...base, tokenUse: "id" });

    expect(await access.verify(tokens.AccessToken)).toMatchObject({
      token_use: "access",
      client_id: h.pool.userPoolClientId,
      "cognito:groups": [group],
    });
    expect(await id.verify(tokens.IdToken)).toMatchObject({ token_use: "id", email });

    expect((await failure(access.verify(tokens.IdToken))).message).toMatch(/token use/i);
    const otherClient = await verifierFor(h.pool.endpoint, region, {
      ...base,
      clientId: "someotherclient00000000000",
      tokenUse: "id",
    });
    expect((await failure(otherClient.verify(tokens.IdToken))).message).toMatch(/audience|client/i);
    const otherGroup = await verifierFor(h.pool.endpoint, region, {
      ...base,
      tokenUse: "access",
      groups: "admins",
    });
    expect((await failure(otherGroup.verify(tokens.AccessToken))).message).toMatch(/group/i);
  });

  it("signs ID and access tokens with different keys, both in the pool's JWKS, kept across a restart", async () => {
    const email = uniqueEmail("keys");
    await signUpAndConfirm(h, email);
    const tokens = await signIn(h, email);
    const idKid = decodeProtectedHeader(tokens.IdToken).kid;
    const accessKid = decodeProtectedHeader(tokens.AccessToken).kid;
    expect(idKid).not.toBe(accessKid);
    const jwks = (await (await fetch(h.pool.jwksUrl)).json()) as {
      keys: { kid: string; alg: string; use: string }[];
    };
    expect(jwks.keys.map((k) => k.kid).sort()).toEqual([idKid, accessKid].sort());
    expect(jwks.keys.every((k) => k.alg === "RS256" && k.use === "sig")).toBe(true);
    await h.restart();
    const after = (await (await fetch(h.pool.jwksUrl)).json()) as { keys: { kid: string }[] };
    expect(after.keys.map((k) => k.kid)).toEqual(jwks.keys.map((k) => k.kid));
    expect(
      (await h.client.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).Username,
    ).toBeTruthy();
  });
});

describe("several pools from one spec", () => {
  it("each with its own id, keys, users and triggers; update() adds and removes pools and keeps data", async () => {
    const other = poolSpec((spec) => ({
      ...passwordClient(spec),
      name: "second",
      usernameAttributes: [],
      usernameCaseSensitive: true,
      triggers: {},
    }));
    await h.pools.update([h.spec, other]);
    const otherClientId = other.clients[0]?.id as string;
    await h.client.send(
      new SignUpCommand({
        ClientId: otherClientId,
        Username: "Grace",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: uniqueEmail("second") }],
      }),
    );
    expect((await failure(signIn(h, "Grace", otherClientId))).name).toBe(
      "UserNotConfirmedException",
    );
    expect((await failure(signIn(h, "grace", otherClientId))).name).toBe("NotAuthorizedException");
    expect(h.lambda.invocations.filter((i) => i.event.userPoolId === other.id)).toEqual([]);

    const jwksA = await (await fetch(h.pool.jwksUrl)).json();
    const jwksB = (await (await fetch(h.pools.jwksUrl(other.id))).json()) as Jwks;
    expect(jwksA).not.toEqual(jwksB);
    const email = uniqueEmail("pool-a");
    await signUpAndConfirm(h, email);
    const tokenA = (await signIn(h, email)).IdToken;
    const verifierB = CognitoJwtVerifier.create({
      userPoolId: other.id,
      tokenUse: "id",
      clientId: otherClientId,
    });
    verifierB.cacheJwks(jwksB);
    expect(await failure(verifierB.verify(tokenA))).toBeTruthy();

    await h.pools.update([h.spec]);
    expect((await failure(signIn(h, "Grace", otherClientId))).name).toBe(
      "ResourceNotFoundException",
    );
    await h.pools.update([h.spec, other]);
    expect((await failure(signIn(h, "Grace", otherClientId))).name).toBe(
      "UserNotConfirmedException",
    );
  });
});
