import type { ErrorAction, FriendlyError } from "./auth-errors";
import type { Notice } from "./components/ui";
import type { Navigate, Route } from "./routes";

const ACTION_LABELS: Record<ErrorAction, string> = {
  confirm: "Confirm your email",
  "forgot-password": "Reset your password",
  "sign-in": "Go to sign in",
  "sign-up": "Go to sign up",
  retry: "Try again",
  "resend-code": "Send a new code",
};

function routeFor(
  action: Exclude<ErrorAction, "retry" | "resend-code">,
  email: string,
  password?: string,
): Route {
  switch (action) {
    case "confirm":
      return { name: "confirm", email, ...(password ? { password } : {}) };
    case "forgot-password":
      return { name: "forgot-password", email };
    case "sign-in":
      return { name: "sign-in", email };
    case "sign-up":
      return { name: "sign-up", email };
  }
}

/**
 * An error message with the one thing the person can do about it: retry,
 * send a new code (on screens that can), or go to the screen that fixes it,
 * carrying the email (and, to confirm, the password so confirming can sign
 * them straight in).
 */
export function errorNotice(
  friendly: FriendlyError,
  context: {
    go: Navigate;
    email: string;
    password?: string;
    retry: () => void;
    resend?: () => void;
  },
): Notice {
  const { action } = friendly;
  const { resend } = context;
  if (!action || (action === "resend-code" && !resend)) {
    return { tone: "error", text: friendly.message };
  }
  const onClick =
    action === "retry"
      ? context.retry
      : action === "resend-code"
        ? (resend as () => void)
        : () => context.go(routeFor(action, context.email, context.password));
  return {
    tone: "error",
    text: friendly.message,
    action: { label: ACTION_LABELS[action], onClick },
  };
}
