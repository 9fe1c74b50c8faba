import { lazily } from "../lazy";
import type { Route } from "../routes";

/**
 * Each screen is its own chunk, loaded when its route first shows. The build
 * finds a screen's chunk by its module (`screens/<name>.tsx` or
 * `screens/<name>/index.tsx`) to preload it in that route's prerendered page.
 */
export const screens = {
  "sign-in": lazily(() => import("./sign-in").then((m) => m.SignIn)),
  "sign-in-method": lazily(() => import("./sign-in-method").then((m) => m.SignInMethod)),
  "sign-in-code": lazily(() => import("./sign-in-code").then((m) => m.SignInCode)),
  "sign-in-totp": lazily(() => import("./sign-in-totp").then((m) => m.SignInTotp)),
  "sign-up": lazily(() => import("./sign-up").then((m) => m.SignUp)),
  confirm: lazily(() => import("./confirm").then((m) => m.Confirm)),
  "forgot-password": lazily(() => import("./forgot-password").then((m) => m.ForgotPassword)),
  profile: lazily(() => import("./profile").then((m) => m.Profile)),
  "change-password": lazily(() => import("./change-password").then((m) => m.ChangePassword)),
  "change-email": lazily(() => import("./change-email").then((m) => m.ChangeEmail)),
  "verify-email": lazily(() => import("./verify-email").then((m) => m.VerifyEmail)),
  passkeys: lazily(() => import("./passkeys").then((m) => m.Passkeys)),
  "two-factor": lazily(() => import("./two-factor").then((m) => m.TwoFactor)),
  "not-found": lazily(() => import("./not-found").then((m) => m.NotFound)),
} satisfies Record<Route["name"], unknown>;

/**
 * The screens of the sign-in flows are small: once the page is idle they are
 * fetched ahead, so moving between them never waits. Screens with heavy
 * dependencies (a QR code, WebAuthn) stay out of this list and load on use.
 */
export const prefetched: (keyof typeof screens)[] = [
  "sign-in",
  "sign-in-method",
  "sign-in-code",
  "sign-in-totp",
  "sign-up",
  "confirm",
  "forgot-password",
  "profile",
  "change-password",
  "change-email",
  "verify-email",
  "not-found",
];

export function prefetchWhenIdle() {
  const run = () => {
    for (const name of prefetched) void screens[name]().catch(() => {});
  };
  if ("requestIdleCallback" in window) requestIdleCallback(run, { timeout: 5000 });
  else setTimeout(run, 2000);
}
