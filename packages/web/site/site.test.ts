// @vitest-environment node
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  connectOrigins,
  contentSecurityPolicy,
  permissionsPolicy,
  securityHeaders,
} from "../site/headers";
import { fileFor } from "../site/routing";
import { STYLESHEET, STYLESHEET_HASH, styleHash } from "../site/style";

const deployed = {
  VITE_REGION: "eu-west-3",
  VITE_USER_POOL_ID: "eu-west-3_Abc123",
  VITE_USER_POOL_CLIENT_ID: "client-1",
  VITE_API_URL: "https://abc123.execute-api.eu-west-3.amazonaws.com/",
};

const directives = (policy: string) =>
  new Map(
    policy.split(";").map((d) => {
      const [name = "", ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

describe("the site's Content-Security-Policy", () => {
  it("lets the page call only the user pool's endpoint and the API", () => {
    expect(connectOrigins(deployed)).toEqual([
      "https://cognito-idp.eu-west-3.amazonaws.com",
      "https://abc123.execute-api.eu-west-3.amazonaws.com",
    ]);
  });

  it("follows a custom API domain, China's DNS suffix, and the local stack's endpoints", () => {
    expect(connectOrigins({ ...deployed, VITE_API_URL: "https://api.example.com" })).toContain(
      "https://api.example.com",
    );
    expect(connectOrigins({ ...deployed, VITE_USER_POOL_ID: "cn-north-1_Abc123" })[0]).toBe(
      "https://cognito-idp.cn-north-1.amazonaws.com.cn",
    );
    expect(
      connectOrigins({
        ...deployed,
        VITE_API_URL: "http://127.0.0.1:3000",
        VITE_COGNITO_ENDPOINT: "http://127.0.0.1:9229/",
        VITE_MAILBOX_URL: "http://127.0.0.1:9300/mailbox",
      }),
    ).toEqual(["http://127.0.0.1:9229", "http://127.0.0.1:3000", "http://127.0.0.1:9300"]);
  });

  it("refuses to make a policy without the site's settings", () => {
    expect(() => connectOrigins({ VITE_API_URL: "https://api.example.com" })).toThrow(
      /VITE_USER_POOL_ID/,
    );
  });

  it("allows scripts only from the site, no inline script or eval, and nothing else by default", () => {
    const policy = directives(securityHeaders(deployed)["content-security-policy"]);
    expect(policy.get("default-src")).toEqual(["'none'"]);
    expect(policy.get("script-src")).toEqual(["'self'"]);
    expect(policy.get("style-src")).toEqual(["'self'", STYLESHEET_HASH]);
    expect(policy.get("connect-src")).toEqual(connectOrigins(deployed));
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'none'"]);
    expect(policy.get("form-action")).toEqual(["'none'"]);
    expect([...policy.values()].flat().filter((v) => /unsafe|\*|data:/.test(v))).toEqual([]);
  });

  it("allows no call at all when it has no origin", () => {
    expect(directives(contentSecurityPolicy({ connect: [] })).get("connect-src")).toEqual([
      "'none'",
    ]);
  });

  it("allows the inline stylesheet by the hash of the file the pages carry", () => {
    const css = readFileSync(
      join(dirname(fileURLToPath(import.meta.url)), "..", STYLESHEET),
      "utf8",
    );
    expect(styleHash(css)).toBe(STYLESHEET_HASH);
    expect(styleHash(`${css} `)).not.toBe(STYLESHEET_HASH);
    expect(styleHash(css.replace(/\n/g, "\r\n"))).toBe(STYLESHEET_HASH);
  });
});

describe("the site's other security headers", () => {
  it("send HSTS, nosniff, the referrer policy, and refuse framing", () => {
    expect(securityHeaders(deployed)).toMatchObject({
      "strict-transport-security": "max-age=63072000",
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
      "x-frame-options": "DENY",
      "cross-origin-opener-policy": "same-origin",
    });
  });

  it("keep only the features passkeys need, for the site itself", () => {
    const features = permissionsPolicy.split(", ").map((f) => f.split("="));
    expect(features.filter(([, allow]) => allow !== "()")).toEqual([
      ["publickey-credentials-create", "(self)"],
      ["publickey-credentials-get", "(self)"],
    ]);
    expect(features.map(([name]) => name)).toEqual(
      expect.arrayContaining(["camera", "microphone", "geolocation", "payment", "usb"]),
    );
  });
});

describe("which file the deployed site answers a path with", () => {
  const files = new Set([
    "/index.html",
    "/404.html",
    "/sign-up.html",
    "/favicon.svg",
    "/assets/app-1.js",
    "/.well-known/security.txt",
  ]);
  const at = (uri: string) => fileFor(files, uri, "404.html");

  it("serves a route's own page, and / its index", () => {
    expect(at("/")).toEqual({ key: "/index.html", found: true });
    expect(at("/sign-up")).toEqual({ key: "/sign-up.html", found: true });
    expect(at("/favicon.svg")).toEqual({ key: "/favicon.svg", found: true });
  });

  it("serves the not-found page for any other path, found (so with 200)", () => {
    expect(at("/no/such/page")).toEqual({ key: "/404.html", found: true });
    expect(at("/sign-up/extra")).toEqual({ key: "/404.html", found: true });
    expect(at("/.well-known/other")).toEqual({ key: "/404.html", found: true });
  });

  it("looks a missing asset up as it is, so it is a 404", () => {
    expect(at("/assets/app-1.js")).toEqual({ key: "/assets/app-1.js", found: true });
    expect(at("/assets/app-2.js")).toEqual({ key: "/assets/app-2.js", found: false });
    expect(at("/assets/")).toEqual({ key: "/assets/index.html", found: false });
  });
});
