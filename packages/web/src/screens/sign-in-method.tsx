import { useState } from "react";
import { describeAuthError } from "../auth-errors";
import { continueSignIn } from "../auth-flow";
import { SignInAnotherWay } from "../components/links";
import { Screen } from "../components/screen";
import { ActionButton, Message, type Notice } from "../components/ui";
import type { Factor } from "../config";
import type { Navigate, SignedInPage } from "../routes";
import { routeAfter } from "../sign-in-steps";
import { useAction } from "../use-action";

const LABEL: Record<Factor, string> = {
  PASSWORD: "Sign in with a password",
  EMAIL_OTP: "Send code",
  WEB_AUTHN: "Sign in with a passkey",
};

/** What the pool offers this user (SELECT_CHALLENGE's AvailableChallenges), one button each. */
export function SignInMethod({
  go,
  email = "",
  factors,
  initialNotice,
  next = "profile",
}: {
  initialNotice?: Notice;
  go: Navigate;
  email?: string;
  /** Held in memory only: after a reload the sign-in starts again. */
  factors?: Factor[];
  next?: SignedInPage;
}) {
  const [notice, setNotice] = useState<Notice | undefined>(initialNotice);
  const [chosen, setChosen] = useState<Factor>();

  const choose = useAction(async (factor: Factor) => {
    setChosen(factor);
    setNotice(undefined);
    if (factor === "PASSWORD") {
      return go({
        name: "sign-in",
        email,
        notice: { tone: "info", text: "Enter your password to sign in." },
        ...(next === "profile" ? {} : { next }),
      });
    }
    try {
      const route = routeAfter(await continueSignIn(factor), email, next);
      if (route) return go(route);
      setNotice({
        tone: "error",
        text: "This account needs a sign-in step this app doesn't support.",
      });
    } catch (error) {
      const step = factor === "WEB_AUTHN" ? "passkey-sign-in" : "sign-in";
      setNotice({ tone: "error", text: describeAuthError(error, step).message });
    }
  });

  const offered = factors ?? [];
  return (
    <Screen
      title="Choose how to sign in"
      intro={
        offered.length > 0 ? (
          <>
            Signing in as <strong>{email}</strong>.
          </>
        ) : (
          "This sign-in has ended. Start again from the sign-in page."
        )
      }
      links={<SignInAnotherWay go={go} email={email} />}
    >
      <div className="choices">
        {offered.map((factor) => (
          <ActionButton
            key={factor}
            className={factor === offered[0] ? "primary" : "secondary"}
            disabled={choose.pending}
            pending={choose.pending && chosen === factor}
            onClick={() => void choose.run(factor)}
          >
            {LABEL[factor]}
          </ActionButton>
        ))}
      </div>
      <Message notice={notice} pending={choose.pending} />
    </Screen>
  );
}
