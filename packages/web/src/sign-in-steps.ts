import type { SignInNext } from "./auth-flow";
import type { Route, SignedInPage } from "./routes";

/** The screen a sign-in goes on to, or undefined when the screen it is on must say why it stopped. */
export function routeAfter(
  next: SignInNext,
  email: string,
  after: SignedInPage,
): Route | undefined {
  const onward = after === "profile" ? {} : { next: after };
  switch (next.outcome) {
    case "signed-in":
      return { name: after };
    case "email-code":
      return { name: "sign-in-code", email, ...onward };
    case "totp":
      return { name: "sign-in-totp", ...onward };
    case "choose":
      return { name: "sign-in-method", email, factors: next.factors ?? [], ...onward };
    case "password":
      return {
        name: "sign-in",
        email,
        notice: { tone: "info", text: "Enter your password to sign in." },
        ...onward,
      };
    default:
      return undefined;
  }
}
