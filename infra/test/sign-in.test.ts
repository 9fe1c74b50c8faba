import { describe, expect, it } from "vitest";
import { accountId, type EvaluateOptions, evaluate, ofType, only, region } from "./evaluate";
import { appResources, text } from "./resources";

/** Started together so they share the CPUs; a stage that fails only fails its own tests. */
function start(options: EvaluateOptions) {
  const evaluation = evaluate(options);
  evaluation.catch(() => undefined);
  return evaluation;
}

const ses = {
  SES_FROM_ADDRESS: "Example <no-reply@example.com>",
  SES_IDENTITY_ARN: `arn:aws:ses:${region}:${accountId}:identity/example.com`,
};
const evaluations = {
  alice: start({ stage: "alice" }),
  local: start({ stage: "local" }),
  withSes: start({ stage: "production", env: { ...ses, APP_DOMAIN: "example.com" } }),
  passwordOnly: start({ stage: "alice", env: { ...ses, SIGN_IN_METHODS: "password" } }),
  aliceDev: start({ stage: "alice", dev: true }),
};

const poolOf = async (name: keyof typeof evaluations) => appResources(await evaluations[name]);

describe("choice-based sign-in on a deployed stage without SES", () => {
  it("offers passwords and passkeys, not email codes (Cognito sends those only through SES)", async () => {
    const { pool } = await poolOf("alice");
    expect(pool.inputs.signInPolicy).toEqual({
      allowedFirstAuthFactors: ["PASSWORD", "WEB_AUTHN"],
    });
  });

  it("is on the Essentials plan, which choice-based sign-in needs", async () => {
    expect((await poolOf("alice")).pool.inputs.userPoolTier).toBe("ESSENTIALS");
  });

  it("makes the site's CloudFront hostname the passkeys' relying party, and requires user verification", async () => {
    const alice = await evaluations.alice;
    const cdn = only(ofType(alice, "aws:cloudfront/distribution:Distribution"), "CDN");
    expect(appResources(alice).pool.inputs.webAuthnConfiguration).toEqual({
      relyingPartyId: text(cdn, "domainName"),
      userVerification: "required",
    });
  });

  it("lets the web client start USER_AUTH beside SRP and refresh", async () => {
    expect((await poolOf("alice")).client.inputs.explicitAuthFlows).toEqual([
      "ALLOW_USER_SRP_AUTH",
      "ALLOW_REFRESH_TOKEN_AUTH",
      "ALLOW_USER_AUTH",
    ]);
  });

  it("offers TOTP MFA as an option, and keeps the old email until the new one is verified", async () => {
    const { pool } = await poolOf("alice");
    expect(pool.inputs.mfaConfiguration).toBe("OPTIONAL");
    expect(pool.inputs.softwareTokenMfaConfiguration).toEqual({ enabled: true });
    expect(pool.inputs.userAttributeUpdateSettings).toEqual({
      attributesRequireVerificationBeforeUpdates: ["email"],
    });
  });
});

describe("a deployed stage with SES and a domain", () => {
  it("offers email codes too, and binds passkeys to the site's domain", async () => {
    const { pool } = await poolOf("withSes");
    expect(pool.inputs.signInPolicy).toEqual({
      allowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"],
    });
    expect(pool.inputs.webAuthnConfiguration).toMatchObject({ relyingPartyId: "example.com" });
  });
});

describe("the local stage", () => {
  it("offers every method, email codes through the local mailbox, with passkeys on localhost", async () => {
    const { pool, client } = await poolOf("local");
    expect(pool.inputs.signInPolicy).toEqual({
      allowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"],
    });
    expect(pool.inputs.webAuthnConfiguration).toEqual({
      relyingPartyId: "localhost",
      userVerification: "required",
    });
    expect(pool.inputs.userPoolTier).toBe("ESSENTIALS");
    expect(client.inputs.explicitAuthFlows).toContain("ALLOW_USER_AUTH");
  });
});

describe("sst dev", () => {
  it("binds passkeys to localhost, where the Vite dev server runs the site", async () => {
    expect((await poolOf("aliceDev")).pool.inputs.webAuthnConfiguration).toMatchObject({
      relyingPartyId: "localhost",
    });
  });
});

describe("SIGN_IN_METHODS=password", () => {
  it("keeps the Lite plan, SRP only, no passkeys, TOTP MFA still optional", async () => {
    const { pool, client } = await poolOf("passwordOnly");
    expect(pool.inputs.userPoolTier).toBe("LITE");
    expect(pool.inputs.signInPolicy).toBeUndefined();
    expect(pool.inputs.webAuthnConfiguration).toBeUndefined();
    expect(client.inputs.explicitAuthFlows).toEqual([
      "ALLOW_USER_SRP_AUTH",
      "ALLOW_REFRESH_TOKEN_AUTH",
    ]);
    expect(pool.inputs.mfaConfiguration).toBe("OPTIONAL");
  });
});
