import { auth } from "./amplify";
import type { Notice } from "./components/ui";
import { normalizeEmail } from "./forms";
import type { Navigate } from "./routes";

export type SignInOutcome = "signed-in" | "confirm" | "reset-password" | "unsupported";

/** Signs in with Amplify's default flow (SRP), turning its next step into what the app does next. */
export async function signInWithPassword(email: string, password: string): Promise<SignInOutcome> {
  const { signIn } = await auth();
  const { isSignedIn, nextStep } = await signIn({ username: normalizeEmail(email), password });
  if (isSignedIn) return "signed-in";
  if (nextStep.signInStep === "CONFIRM_SIGN_UP") return "confirm";
  if (nextStep.signInStep === "RESET_PASSWORD") return "reset-password";
  return "unsupported";
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
      if ((await signInWithPassword(email, password)) === "signed-in") {
        return go({ name: "profile" });
      }
    } catch {}
  }
  go({ name: "sign-in", email, notice });
}
