import { generateKeyPairSync } from "node:crypto";
import {
  CompleteWebAuthnRegistrationCommand,
  DeleteWebAuthnCredentialCommand,
  ListWebAuthnCredentialsCommand,
  StartWebAuthnRegistrationCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  failure,
  type Harness,
  signUpAndConfirm,
  startHarness,
  uniqueEmail,
} from "./cognito-harness";
import {
  passwordTokens,
  respond,
  signInMethods,
  startSignInHarness,
  userAuth,
} from "./sign-in-harness";
import { softwareAuthenticator } from "./software-authenticator";

let h: Harness;
const authenticator = softwareAuthenticator("http://localhost:5173");

beforeAll(async () => {
  h = await startSignInHarness();
});

afterAll(async () => {
  await h?.stop();
});

// biome-ignore lint/suspicious/noExplicitAny: the SDK types the options as a document.
type Options = any;

const start = async (AccessToken: string) =>
  (await h.client.send(new StartWebAuthnRegistrationCommand({ AccessToken })))
    .CredentialCreationOptions as Options;

const complete = (AccessToken: string, Credential: unknown) =>
  h.client.send(
    new CompleteWebAuthnRegistrationCommand({ AccessToken, Credential: Credential as never }),
  );

/** A confirmed user with one registered passkey. */
async function userWithPasskey(prefix: string) {
  const email = uniqueEmail(prefix);
  await signUpAndConfirm(h, email);
  const { AccessToken } = await passwordTokens(h, email);
  const options = await start(AccessToken);
  const { passkey, response } = authenticator.create(options);
  await complete(AccessToken, response);
  return { email, AccessToken, passkey };
}

async function passkeyChallenge(email: string) {
  const started = await userAuth(h, email, { PREFERRED_CHALLENGE: "WEB_AUTHN" });
  expect(started.ChallengeName).toBe("WEB_AUTHN");
  const options = JSON.parse(started.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS ?? "{}");
  return { session: started.Session, options };
}

const answer = (email: string, session: string | undefined, credential: unknown) =>
  respond(h, "WEB_AUTHN", session, { USERNAME: email, CREDENTIAL: JSON.stringify(credential) });

describe("passkeys: registration", () => {
  it("offers options for the pool's relying party, requiring a discoverable, verified credential", async () => {
    const email = uniqueEmail("pk-options");
    await signUpAndConfirm(h, email);
    const { AccessToken } = await passwordTokens(h, email);
    const options = await start(AccessToken);
    expect(options).toMatchObject({
      rp: { id: "localhost" },
      user: { name: email },
      attestation: "none",
      authenticatorSelection: { residentKey: "required", userVerification: "required" },
    });
    expect(options.challenge).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  });

  it("registers, then lists the passkey with its name and date, and removes it", async () => {
    const { AccessToken, passkey } = await userWithPasskey("pk-list");
    const listed = await h.client.send(new ListWebAuthnCredentialsCommand({ AccessToken }));
    expect(listed.Credentials).toEqual([
      expect.objectContaining({
        CredentialId: passkey.id,
        FriendlyCredentialName: "Passkey 1",
        RelyingPartyId: "localhost",
        AuthenticatorAttachment: "platform",
        AuthenticatorTransports: ["internal"],
      }),
    ]);
    expect(listed.Credentials?.[0]?.CreatedAt).toBeInstanceOf(Date);
    await h.client.send(
      new DeleteWebAuthnCredentialCommand({ AccessToken, CredentialId: passkey.id }),
    );
    expect(
      (await h.client.send(new ListWebAuthnCredentialsCommand({ AccessToken }))).Credentials,
    ).toEqual([]);
    expect(
      (
        await failure(
          h.client.send(
            new DeleteWebAuthnCredentialCommand({ AccessToken, CredentialId: passkey.id }),
          ),
        )
      ).name,
    ).toBe("ResourceNotFoundException");
  });

  it("refuses another origin and another relying party, and stores nothing", async () => {
    const email = uniqueEmail("pk-origin");
    await signUpAndConfirm(h, email);
    const { AccessToken } = await passwordTokens(h, email);
    const elsewhere = authenticator.create(await start(AccessToken), {
      origin: "https://evil.example",
    });
    expect((await failure(complete(AccessToken, elsewhere.response))).name).toBe(
      "WebAuthnOriginNotAllowedException",
    );
    const otherRp = authenticator.create(await start(AccessToken), { rpId: "example.com" });
    expect((await failure(complete(AccessToken, otherRp.response))).name).toBe(
      "WebAuthnRelyingPartyMismatchException",
    );
    expect(
      (await h.client.send(new ListWebAuthnCredentialsCommand({ AccessToken }))).Credentials,
    ).toEqual([]);
  });

  it("answers a registration challenge once", async () => {
    const email = uniqueEmail("pk-challenge");
    await signUpAndConfirm(h, email);
    const { AccessToken } = await passwordTokens(h, email);
    const { response } = authenticator.create(await start(AccessToken));
    await complete(AccessToken, response);
    expect((await failure(complete(AccessToken, response))).name).toBe(
      "WebAuthnChallengeNotFoundException",
    );
    const stale = authenticator.create({
      challenge: "c3RhbGUtY2hhbGxlbmdl",
      rp: { id: "localhost" },
    });
    await start(AccessToken);
    expect((await failure(complete(AccessToken, stale.response))).name).toBe(
      "WebAuthnChallengeNotFoundException",
    );
  });
});

describe("passkeys: sign-in (WEB_AUTHN)", () => {
  it("signs in with the passkey's assertion", async () => {
    const { email, passkey } = await userWithPasskey("pk-sign-in");
    expect((await userAuth(h, email)).AvailableChallenges).toContain("WEB_AUTHN");
    const { session, options } = await passkeyChallenge(email);
    expect(options).toMatchObject({
      rpId: "localhost",
      userVerification: "required",
      allowCredentials: [expect.objectContaining({ id: passkey.id, type: "public-key" })],
    });
    const result = await answer(email, session, authenticator.get(passkey, options));
    expect(result.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it("refuses a forged assertion (signed by another key)", async () => {
    const { email, passkey } = await userWithPasskey("pk-forged");
    const { session, options } = await passkeyChallenge(email);
    const forger = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
    expect(
      await failure(
        answer(email, session, authenticator.get(passkey, options, { signWith: forger })),
      ),
    ).toEqual({
      name: "NotAuthorizedException",
      message: "The passkey could not be verified.",
    });
  });

  it("refuses a replayed challenge: neither the session nor an old assertion works twice", async () => {
    const { email, passkey } = await userWithPasskey("pk-replay");
    const first = await passkeyChallenge(email);
    const assertion = authenticator.get(passkey, first.options);
    await answer(email, first.session, assertion);
    expect((await failure(answer(email, first.session, assertion))).name).toBe(
      "NotAuthorizedException",
    );
    const second = await passkeyChallenge(email);
    expect((await failure(answer(email, second.session, assertion))).name).toBe(
      "NotAuthorizedException",
    );
  });

  it("refuses an assertion whose sign count did not grow (a cloned authenticator)", async () => {
    const { email, passkey } = await userWithPasskey("pk-count");
    const first = await passkeyChallenge(email);
    await answer(email, first.session, authenticator.get(passkey, first.options, { signCount: 5 }));
    const second = await passkeyChallenge(email);
    expect(
      (
        await failure(
          answer(
            email,
            second.session,
            authenticator.get(passkey, second.options, { signCount: 5 }),
          ),
        )
      ).name,
    ).toBe("NotAuthorizedException");
  });

  it("refuses a removed passkey", async () => {
    const { email, passkey, AccessToken } = await userWithPasskey("pk-removed");
    const { session, options } = await passkeyChallenge(email);
    await h.client.send(
      new DeleteWebAuthnCredentialCommand({ AccessToken, CredentialId: passkey.id }),
    );
    expect((await failure(answer(email, session, authenticator.get(passkey, options)))).name).toBe(
      "NotAuthorizedException",
    );
    expect((await userAuth(h, email)).AvailableChallenges).not.toContain("WEB_AUTHN");
  });

  it("refuses an assertion made on another origin", async () => {
    const { email, passkey } = await userWithPasskey("pk-phish");
    const { session, options } = await passkeyChallenge(email);
    expect(
      (
        await failure(
          answer(
            email,
            session,
            authenticator.get(passkey, options, { origin: "https://evil.example" }),
          ),
        )
      ).name,
    ).toBe("WebAuthnOriginNotAllowedException");
  });
});

describe("pools that don't offer passkeys", () => {
  it("refuse registration with AWS's errors", async () => {
    for (const [change, error] of [
      [
        (s: Parameters<typeof signInMethods>[0]) => ({
          ...signInMethods(s),
          allowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP"],
        }),
        "WebAuthnNotEnabledException",
      ],
      [
        (s: Parameters<typeof signInMethods>[0]) => ({
          ...signInMethods(s),
          userPoolTier: "LITE" as const,
        }),
        "FeatureUnavailableInTierException",
      ],
    ] as const) {
      const pool = await startHarness({ spec: change });
      try {
        const email = uniqueEmail("pk-off");
        await signUpAndConfirm(pool, email);
        const { AccessToken } = await passwordTokens(pool, email);
        expect(
          (await failure(pool.client.send(new StartWebAuthnRegistrationCommand({ AccessToken }))))
            .name,
        ).toBe(error);
      } finally {
        await pool.stop();
      }
    }
  });
});
