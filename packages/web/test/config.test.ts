import { describe, expect, it } from "vitest";
import { amplifyConfig, readConfig } from "../src/config";

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
});
