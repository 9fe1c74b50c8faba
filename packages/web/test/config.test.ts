import { describe, expect, it } from "vitest";
import { amplifyConfig, factorsOf, offersChoice, readConfig } from "../src/config";

const base = {
  VITE_USER_POOL_ID: "eu-west-1_abc",
  VITE_USER_POOL_CLIENT_ID: "client",
  VITE_API_URL: "https://api.example.com/",
};

describe("config", () => {
  it("names every missing setting", () => {
    expect(readConfig({})).toEqual({
      ok: false,
      missing: ["VITE_USER_POOL_ID", "VITE_USER_POOL_CLIENT_ID", "VITE_API_URL"],
    });
  });

  it("uses AWS's endpoints unless a local one is set", () => {
    const deployed = readConfig(base);
    if (!deployed.ok) throw new Error("expected a config");
    expect(deployed.config.apiUrl).toBe("https://api.example.com");
    expect(amplifyConfig(deployed.config).Auth.Cognito).not.toHaveProperty("userPoolEndpoint");

    const local = readConfig({
      ...base,
      VITE_COGNITO_ENDPOINT: "http://127.0.0.1:9229/",
      VITE_MAILBOX_URL: "http://127.0.0.1:9230/mailbox",
    });
    if (!local.ok) throw new Error("expected a config");
    expect(local.config.mailboxUrl).toBe("http://127.0.0.1:9230/mailbox");
    expect(amplifyConfig(local.config).Auth.Cognito).toMatchObject({
      userPoolEndpoint: "http://127.0.0.1:9229",
      loginWith: { email: true },
    });
  });

  it("reads the sign-in factors and TOTP the pool enables, a password alone by default", () => {
    const plain = readConfig(base);
    if (!plain.ok) throw new Error("expected a config");
    expect(factorsOf(plain.config)).toEqual(["PASSWORD"]);
    expect(offersChoice(plain.config)).toBe(false);
    expect(plain.config.totpMfa).toBeUndefined();

    const all = readConfig({
      ...base,
      VITE_SIGN_IN_FACTORS: "password, web_authn,EMAIL_OTP,SMS_OTP",
      VITE_TOTP_MFA: "on",
    });
    if (!all.ok) throw new Error("expected a config");
    expect(factorsOf(all.config)).toEqual(["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"]);
    expect(offersChoice(all.config)).toBe(true);
    expect(all.config.totpMfa).toBe(true);
  });
});
