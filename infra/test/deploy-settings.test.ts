import { describe, expect, it } from "vitest";
import { hostnames, readDeploySettings } from "../deploy-settings";

const ses = {
  SES_FROM_ADDRESS: "Example <no-reply@example.com>",
  SES_IDENTITY_ARN: "arn:aws:ses:us-east-1:123456789012:identity/example.com",
};

describe("deploy settings", () => {
  it("default to Cognito's sender, passwords and passkeys on Essentials, no threat protection, no domains, the stage's own table", () => {
    expect(readDeploySettings({}, "production")).toEqual({
      cognitoPlan: "ESSENTIALS",
      firstAuthFactors: ["PASSWORD", "WEB_AUTHN"],
      threatProtection: "off",
    });
  });

  describe("sign-in methods", () => {
    it("offer email codes only with SES, or on the local stage (its mailbox stands in for SES)", () => {
      const all = ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"];
      expect(readDeploySettings(ses, "production").firstAuthFactors).toEqual(all);
      expect(readDeploySettings({}, "local").firstAuthFactors).toEqual(all);
      expect(readDeploySettings({}, "alice").firstAuthFactors).toEqual(["PASSWORD", "WEB_AUTHN"]);
    });

    it("keep Lite for passwords only, and refuse Lite with a passwordless method", () => {
      expect(readDeploySettings({ SIGN_IN_METHODS: "password" }, "x")).toMatchObject({
        cognitoPlan: "LITE",
        firstAuthFactors: ["PASSWORD"],
      });
      expect(() => readDeploySettings({ COGNITO_PLAN: "lite" }, "x")).toThrow(
        /no passwordless sign-in/,
      );
      expect(
        readDeploySettings({ SIGN_IN_METHODS: "passkey, Password", COGNITO_PLAN: "plus" }, "x"),
      ).toMatchObject({ cognitoPlan: "PLUS", firstAuthFactors: ["PASSWORD", "WEB_AUTHN"] });
    });

    it("refuse unknown methods and a list without the password", () => {
      expect(() => readDeploySettings({ SIGN_IN_METHODS: "password,sms" }, "x")).toThrow(
        /names "sms"/,
      );
      expect(() => readDeploySettings({ SIGN_IN_METHODS: "passkey" }, "x")).toThrow(
        /must include password/,
      );
    });
  });

  it("treat empty variables as unset (a workflow passes unset GitHub variables as empty strings)", () => {
    const blank = Object.fromEntries(
      [
        "SES_FROM_ADDRESS",
        "SES_IDENTITY_ARN",
        "COGNITO_PLAN",
        "COGNITO_THREAT_PROTECTION",
        "APP_DOMAIN",
        "USERS_TABLE_NAME",
        "SIGN_IN_METHODS",
      ].map((name) => [name, " "]),
    );
    expect(readDeploySettings(blank, "production")).toEqual(readDeploySettings({}, "production"));
  });

  describe("SES email", () => {
    it("sends from a verified domain identity", () => {
      expect(readDeploySettings(ses, "production").email).toEqual({
        from: "Example <no-reply@example.com>",
        sourceArn: ses.SES_IDENTITY_ARN,
      });
    });

    it("accepts a subdomain of a domain identity and an exact email identity", () => {
      expect(
        readDeploySettings({ ...ses, SES_FROM_ADDRESS: "no-reply@mail.example.com" }, "x").email,
      ).toBeDefined();
      expect(
        readDeploySettings(
          {
            SES_FROM_ADDRESS: "alerts@example.org",
            SES_IDENTITY_ARN: "arn:aws:ses:eu-west-1:123456789012:identity/alerts@example.org",
          },
          "x",
        ).email,
      ).toBeDefined();
    });

    it("needs both the address and the identity", () => {
      expect(() =>
        readDeploySettings({ SES_FROM_ADDRESS: ses.SES_FROM_ADDRESS }, "production"),
      ).toThrow(/SES_FROM_ADDRESS and SES_IDENTITY_ARN/);
      expect(() =>
        readDeploySettings({ SES_IDENTITY_ARN: ses.SES_IDENTITY_ARN }, "production"),
      ).toThrow(/SES_FROM_ADDRESS and SES_IDENTITY_ARN/);
    });

    it("rejects an address the identity does not cover, which Cognito would refuse", () => {
      expect(() =>
        readDeploySettings({ ...ses, SES_FROM_ADDRESS: "no-reply@example.net" }, "production"),
      ).toThrow(/not covered by the SES identity example.com/);
      expect(() =>
        readDeploySettings({ ...ses, SES_FROM_ADDRESS: "no-reply@badexample.com" }, "production"),
      ).toThrow(/not covered/);
    });

    it("rejects a malformed ARN or address", () => {
      expect(() =>
        readDeploySettings({ ...ses, SES_IDENTITY_ARN: "example.com" }, "production"),
      ).toThrow(/SES identity ARN/);
      expect(() =>
        readDeploySettings({ ...ses, SES_FROM_ADDRESS: "no-reply" }, "production"),
      ).toThrow(/must be an email address/);
    });
  });

  describe("Cognito feature plan and threat protection", () => {
    it("reads the plan in any case", () => {
      expect(readDeploySettings({ COGNITO_PLAN: "essentials" }, "x").cognitoPlan).toBe(
        "ESSENTIALS",
      );
      expect(readDeploySettings({ COGNITO_PLAN: "Plus" }, "x").cognitoPlan).toBe("PLUS");
      expect(() => readDeploySettings({ COGNITO_PLAN: "gold" }, "x")).toThrow(
        /lite, essentials or plus/,
      );
    });

    it("allows threat protection on the Plus plan only", () => {
      expect(
        readDeploySettings({ COGNITO_PLAN: "plus", COGNITO_THREAT_PROTECTION: "enforced" }, "x")
          .threatProtection,
      ).toBe("enforced");
      expect(() =>
        readDeploySettings({ COGNITO_PLAN: "essentials", COGNITO_THREAT_PROTECTION: "audit" }, "x"),
      ).toThrow(/needs the PLUS feature plan/);
      expect(() => readDeploySettings({ COGNITO_THREAT_PROTECTION: "audit" }, "x")).toThrow(/PLUS/);
      expect(() =>
        readDeploySettings({ COGNITO_PLAN: "plus", COGNITO_THREAT_PROTECTION: "block" }, "x"),
      ).toThrow(/off, audit or enforced/);
    });
  });

  describe("custom domains", () => {
    it("give production the apex and every other stage a subdomain", () => {
      expect(hostnames("example.com", "production")).toEqual({
        site: "example.com",
        api: "api.example.com",
      });
      expect(hostnames("example.com", "pr-42")).toEqual({
        site: "pr-42.example.com",
        api: "api.pr-42.example.com",
      });
      expect(readDeploySettings({ APP_DOMAIN: "Example.COM." }, "alice").domains).toEqual({
        site: "alice.example.com",
        api: "api.alice.example.com",
      });
    });

    it("reject a stage that is not a DNS label and a domain that is not a name", () => {
      expect(() => hostnames("example.com", "alice.smith")).toThrow(/cannot be a DNS label/);
      expect(() => hostnames("example.com", "Alice_1")).toThrow(/cannot be a DNS label/);
      expect(() => hostnames("localhost", "alice")).toThrow(/not a domain name/);
      expect(() => hostnames("https://example.com", "alice")).toThrow(/not a domain name/);
    });
  });

  describe("an existing Users table", () => {
    it("is used only when its name contains the stage", () => {
      expect(
        readDeploySettings(
          { USERS_TABLE_NAME: "userprofile-production-Users-restored" },
          "production",
        ).usersTableName,
      ).toBe("userprofile-production-Users-restored");
      expect(() =>
        readDeploySettings({ USERS_TABLE_NAME: "userprofile-production-Users" }, "alice"),
      ).toThrow(/does not name stage "alice"/);
      expect(() => readDeploySettings({ USERS_TABLE_NAME: "a b" }, "a")).toThrow(
        /not a DynamoDB table name/,
      );
    });
  });
});
