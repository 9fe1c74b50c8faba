import { decodeJwt, type JWTPayload, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configureAmplifyInNode, srpSignIn } from "../testing/amplify-node";
import { api, PASSWORD, signUpAndConfirm, uniqueEmail } from "./flows";
import { stackSigningKey } from "./pool-keys";
import { startLocalTarget, type Target, withEnvironment } from "./target";

/**
 * The JWT authorizer's rules, one test each, as API Gateway documents them:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 * Tokens are minted with the local pool's own ID-token key (read from its
 * data directory), so each test changes one claim of an otherwise valid token.
 */

let target: Target;
let idClaims: JWTPayload;
let accessClaims: JWTPayload;
let signingKey: Awaited<ReturnType<typeof stackSigningKey>>;

const seconds = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  target = await startLocalTarget();
  configureAmplifyInNode(target);
  const email = uniqueEmail("jwt-rules");
  await signUpAndConfirm(target, email);
  const tokens = await srpSignIn(email, PASSWORD);
  idClaims = decodeJwt(tokens.idToken);
  accessClaims = decodeJwt(tokens.accessToken);
  signingKey = await stackSigningKey(target);
});

afterAll(async () => {
  await target?.stop();
});

function mint(claims: JWTPayload, header: { kid?: string } = {}, key = signingKey) {
  const defined = Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
  return new SignJWT(defined)
    .setProtectedHeader({ alg: "RS256", kid: key.kid, ...header })
    .sign(key.key);
}

async function getMe(token: string) {
  const result = await api(target, "GET", "/me", { token });
  return {
    status: result.status,
    body: result.body,
    reason: result.headers.get("www-authenticate") ?? "",
  };
}

const unauthorized = (reason: RegExp) => ({
  status: 401,
  body: { message: "Unauthorized" },
  reason: expect.stringMatching(reason),
});

describe("the JWT authorizer, rule by rule", () => {
  it("accepts the pool's ID and access tokens as minted here (the baseline of every test)", async () => {
    expect((await getMe(await mint(idClaims))).status).toBe(200);
    expect((await getMe(await mint(accessClaims))).status).toBe(200);
  });

  it("iss: must be this pool's issuer", async () => {
    const issuer = idClaims.iss as string;
    expect(issuer).toBe(`https://cognito-idp.eu-central-1.amazonaws.com/${target.userPoolId}`);
    for (const iss of [
      `${issuer.slice(0, issuer.lastIndexOf("/"))}/eu-central-1_Other1234`,
      `https://cognito-idp.eu-west-1.amazonaws.com/${target.userPoolId}`,
      `${target.cognitoEndpoint}/${target.userPoolId}`,
      undefined,
    ]) {
      expect(await getMe(await mint({ ...idClaims, iss }))).toMatchObject(
        unauthorized(/valid issuer/),
      );
    }
  });

  it("aud: evaluated when present, so a right client_id does not rescue a wrong aud", async () => {
    const token = await mint({
      ...idClaims,
      aud: "another-client",
      client_id: target.userPoolClientId,
    });
    expect(await getMe(token)).toMatchObject(unauthorized(/valid audience/));
    const listed = await mint({ ...idClaims, aud: ["another-client", target.userPoolClientId] });
    expect((await getMe(listed)).status).toBe(200);
  });

  it("client_id: evaluated only when there is no aud", async () => {
    expect(accessClaims.aud).toBeUndefined();
    const wrong = await mint({ ...accessClaims, client_id: "another-client" });
    expect(await getMe(wrong)).toMatchObject(unauthorized(/valid audience/));
    const neither = await mint({ ...accessClaims, client_id: undefined });
    expect(await getMe(neither)).toMatchObject(unauthorized(/valid audience/));
  });

  it("exp: required", async () => {
    expect(await getMe(await mint({ ...idClaims, exp: undefined }))).toMatchObject(
      unauthorized(/no expiry/),
    );
  });

  it("exp: must be after the gateway's current time", async () => {
    const expired = await mint({ ...idClaims, iat: seconds() - 7200, exp: seconds() - 60 });
    expect(await getMe(expired)).toMatchObject(unauthorized(/expired/));

    // The stack's clock decides, not the caller's: a valid token expires when it moves past exp.
    const token = await mint(idClaims);
    const clock = target.local?.stack.clock;
    if (!clock) throw new Error("a local stack has a clock");
    try {
      clock.advance((idClaims.exp as number) - Date.now() / 1000 + 1);
      expect(await getMe(token)).toMatchObject(unauthorized(/expired/));
    } finally {
      clock.reset();
    }
    expect((await getMe(token)).status).toBe(200);
  });

  it("nbf: when present, must be before the current time", async () => {
    const early = await mint({ ...idClaims, nbf: seconds() + 600 });
    expect(await getMe(early)).toMatchObject(unauthorized(/not valid yet/));
    expect((await getMe(await mint({ ...idClaims, nbf: seconds() - 60 }))).status).toBe(200);
  });

  it("iat: when present, must be before the current time", async () => {
    const future = await mint({ ...idClaims, iat: seconds() + 600 });
    expect(await getMe(future)).toMatchObject(unauthorized(/issued in the future/));
  });

  it("signature: only the pool's RSA key (no HMAC, no `none`, no unknown kid)", async () => {
    const hmac = await new SignJWT(idClaims)
      .setProtectedHeader({ alg: "HS256", kid: signingKey.kid })
      .sign(new TextEncoder().encode("a-shared-secret-of-32-bytes-long!"));
    const unsigned = `${Buffer.from(JSON.stringify({ alg: "none", kid: signingKey.kid })).toString("base64url")}.${Buffer.from(JSON.stringify(idClaims)).toString("base64url")}.`;
    const unknownKid = await mint(idClaims, { kid: "SomeOtherKey" });
    for (const token of [hmac, unsigned, unknownKid]) {
      expect(await getMe(token)).toMatchObject(unauthorized(/could not be verified/));
    }
  });

  it("token_use is not checked, as on AWS: any token_use passes when the rest is valid", async () => {
    expect((await getMe(await mint({ ...idClaims, token_use: "refresh" }))).status).toBe(200);
  });
});

describe("the gateway's own answers", () => {
  let broken: Target;
  beforeAll(async () => {
    // Fault: GET /me's function cannot even load (its linked table is unreadable).
    broken = await startLocalTarget({
      transform: withEnvironment("packages/functions/src/api/get-me.handler", {
        SST_RESOURCE_UsersTable: "not json",
      }),
    });
  });
  afterAll(async () => {
    await broken?.stop();
  });

  it("a function that fails is a bare 500, as API Gateway answers it", async () => {
    // The other stack's pool has its own keys (made in its own data directory).
    const token = await mint(
      { ...idClaims, aud: broken.userPoolClientId },
      {},
      await stackSigningKey(broken),
    );
    const result = await api(broken, "GET", "/me", { token });
    expect(result).toMatchObject({ status: 500, body: { message: "Internal Server Error" } });
  });

  it("a payload over 10 MB is a 413 and never reaches the function", async () => {
    const result = await api(target, "PATCH", "/me", {
      token: await mint(idClaims),
      body: JSON.stringify({ firstName: "x".repeat(10 * 1024 * 1024) }),
    });
    expect(result).toMatchObject({ status: 413, body: { message: "Request Entity Too Large" } });
  });
});
