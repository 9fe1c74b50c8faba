import { auth } from "./amplify";
import type { Notice } from "./components/ui";
import type { Factor } from "./config";
import { normalizeEmail } from "./forms";
import type { Navigate } from "./routes";

export type SignInOutcome =
  | "signed-in"
  | "confirm"
  | "reset-password"
  /** The pool lists the factors this user may choose from (SELECT_CHALLENGE). */
  | "choose"
  | "email-code"
  | "totp"
  | "password"
  | "unsupported";

export interface SignInNext {
  outcome: SignInOutcome;
  /** With "choose": what the pool offers this user, among the factors the app knows. */
  factors?: Factor[];
}

type SignInOutput = Awaited<ReturnType<Awaited<ReturnType<typeof auth>>["signIn"]>>;

const FACTOR_OF: Record<string, Factor> = {
  PASSWORD: "PASSWORD",
  PASSWORD_SRP: "PASSWORD",
  EMAIL_OTP: "EMAIL_OTP",
  WEB_AUTHN: "WEB_AUTHN",
};

/** Amplify's next step, as what the app does next. */
export function nextOf({ isSignedIn, nextStep }: SignInOutput): SignInNext {
  if (isSignedIn) return { outcome: "signed-in" };
  switch (nextStep.signInStep) {
    case "CONFIRM_SIGN_UP":
      return { outcome: "confirm" };
    case "RESET_PASSWORD":
      return { outcome: "reset-password" };
    case "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION": {
      const offered = (nextStep.availableChallenges ?? []).map((name) => FACTOR_OF[name]);
      const factors = [...new Set(offered.filter((f): f is Factor => f !== undefined))];
      return { outcome: "choose", factors };
    }
    case "CONFIRM_SIGN_IN_WITH_EMAIL_CODE":
      return { outcome: "email-code" };
    case "CONFIRM_SIGN_IN_WITH_TOTP_CODE":
      return { outcome: "totp" };
    case "CONFIRM_SIGN_IN_WITH_PASSWORD":
      return { outcome: "password" };
    default:
      return { outcome: "unsupported" };
  }
}

/** Signs in with Amplify's default flow (SRP), turning its next step into what the app does next. */
export async function signInWithPassword(email: string, password: string): Promise<SignInOutcome> {
  const { signIn } = await auth();
  return nextOf(await signIn({ username: normalizeEmail(email), password })).outcome;
}

/**
 * Choice-based sign-in (USER_AUTH): with a preferred factor the pool starts
 * it if this user may use it, else it lists what the user may choose.
 */
export async function signInWithChoice(email: string, preferred?: Factor): Promise<SignInNext> {
  const { signIn } = await auth();
  const preferredChallenge = preferred === "PASSWORD" ? "PASSWORD_SRP" : preferred;
  return nextOf(
    await signIn({
      username: normalizeEmail(email),
      options: {
        authFlowType: "USER_AUTH",
        ...(preferredChallenge ? { preferredChallenge } : {}),
      },
    }),
  );
}

/** Answers the step the sign-in is at: a chosen factor, a code, or a password. */
export async function continueSignIn(response: string): Promise<SignInNext> {
  const { confirmSignIn } = await auth();
  return nextOf(await confirmSignIn({ challengeResponse: response }));
}

/**
 * Amplify's autoSignIn after ConfirmSignUp: USER_AUTH with the Session the
 * pool returned, no password needed. False when it can't (the page was
 * reloaded since sign-up, or the pool refused), so the caller falls back.
 */
export async function signedInWithSession(): Promise<boolean> {
  try {
    const { autoSignIn } = await auth();
    return nextOf(await autoSignIn()).outcome === "signed-in";
  } catch {
    return false;
  }
}

/**
 * A failing Post Confirmation trigger surfaces as this error, yet the user is
 * confirmed (Cognito's behaviour); the API heals the missing profile later.
 */
export function confirmedDespiteTrigger(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === "UserLambdaValidationException";
}

/**
 * After a confirmation or a password reset: signs in with the password the
 * person just typed, or sends them to sign in with `notice` if that fails.
 */
export async function signInAfter(
  go: Navigate,
  email: string,
  password: string | undefined,
  notice: Notice,
): Promise<void> {
  if (password) {
    try {
      const outcome = await signInWithPassword(email, password);
      if (outcome === "signed-in") return go({ name: "profile" });
      if (outcome === "totp") return go({ name: "sign-in-totp" });
    } catch {}
  }
  go({ name: "sign-in", email, notice });
}
