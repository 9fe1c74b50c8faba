import { describe, expect, it } from "vitest";
import { prerenderedPages, resolve, routeAt, titleOf, urlOf } from "../src/routes";

const at = (url: string, signedIn = false, extras = {}) => {
  const { pathname, search } = new URL(url, "https://app.example.com");
  return resolve({ path: pathname, search }, extras, signedIn);
};

describe("routes", () => {
  it("give each screen its path, and keep the confirm screen's email in the URL", () => {
    expect(urlOf({ name: "sign-in" })).toBe("/sign-in");
    expect(urlOf({ name: "sign-up", email: "ada@example.com" })).toBe("/sign-up");
    expect(urlOf({ name: "confirm", email: "ada+1@example.com" })).toBe(
      "/confirm?email=ada%2B1%40example.com",
    );
    expect(urlOf({ name: "forgot-password" })).toBe("/forgot-password");
    expect(urlOf({ name: "profile" })).toBe("/profile");
    expect(routeAt("/confirm", "?email=ada%2B1%40example.com")).toEqual({
      name: "confirm",
      email: "ada+1@example.com",
    });
  });

  it("never put a password or a message in the URL", () => {
    const notice = { tone: "error" as const, text: "Not confirmed" };
    expect(urlOf({ name: "confirm", email: "a@b.co", password: "secret", notice })).toBe(
      "/confirm?email=a%40b.co",
    );
    expect(at("/confirm?email=a%40b.co", false, { password: "secret", notice }).route).toEqual({
      name: "confirm",
      email: "a@b.co",
      password: "secret",
      notice,
    });
  });

  it("send / to sign-in, or to the profile when signed in", () => {
    expect(at("/")).toEqual({ route: { name: "sign-in" }, url: "/sign-in" });
    expect(at("/", true)).toEqual({ route: { name: "profile" }, url: "/profile" });
  });

  it("send a signed-out visitor of the profile to sign in, and back after", () => {
    expect(at("/profile")).toEqual({
      route: { name: "sign-in", next: "profile" },
      url: "/sign-in?next=%2Fprofile",
    });
    expect(at("/sign-in?next=%2Fprofile", true).url).toBe("/profile");
  });

  it("ignore a next that is not a signed-in screen of this app", () => {
    expect(at("/sign-in?next=https%3A%2F%2Fevil.example").route).toEqual({ name: "sign-in" });
    expect(at("/sign-in?next=%2Fsign-up").url).toBe("/sign-in");
  });

  it("skip the sign-in screens for a signed-in visitor", () => {
    for (const path of ["/sign-in", "/sign-up", "/confirm?email=a%40b.co", "/forgot-password"]) {
      expect(at(path, true).url).toBe("/profile");
    }
  });

  it("show the not-found screen at any other path, and leave its URL alone", () => {
    expect(at("/nope?x=1")).toEqual({ route: { name: "not-found" }, url: "/nope?x=1" });
    expect(at("/profile/extra", true).route).toEqual({ name: "not-found" });
    expect(at("/sign-up/").url).toBe("/sign-up");
    expect(titleOf({ name: "not-found" })).toBe("Page not found · User Profile");
  });

  it("keep the Security screens behind sign-in, the new email in the verify step's URL", () => {
    expect(at("/change-password")).toEqual({
      route: { name: "sign-in", next: "change-password" },
      url: "/sign-in?next=%2Fchange-password",
    });
    expect(at("/sign-in?next=%2Fchange-email", true).url).toBe("/change-email");
    expect(urlOf({ name: "verify-email", email: "new+1@example.com" })).toBe(
      "/verify-email?email=new%2B1%40example.com",
    );
    expect(at("/verify-email?email=new%40example.com", true).route).toEqual({
      name: "verify-email",
      email: "new@example.com",
    });
  });

  it("prerender every screen's page, / and the not-found page", () => {
    expect(prerenderedPages.map((p) => p.file).sort()).toEqual(
      [
        "404.html",
        "change-email.html",
        "change-password.html",
        "verify-email.html",
        "sign-in-method.html",
        "sign-in-code.html",
        "sign-in-totp.html",
        "two-factor.html",
        "passkeys.html",
        "confirm.html",
        "forgot-password.html",
        "index.html",
        "profile.html",
        "sign-in.html",
        "sign-up.html",
      ].sort(),
    );
  });
});
