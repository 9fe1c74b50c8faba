import { type FormEvent, useState } from "react";
import { type AuthStep, describeAuthError, type FriendlyError } from "../auth-errors";
import { type SignInNext, signInWithChoice, signInWithPassword } from "../auth-flow";
import { Screen } from "../components/screen";
import {
  ActionButton,
  EmailField,
  LinkButton,
  Message,
  type Notice,
  PasswordField,
  Submit,
} from "../components/ui";
import type { Factor } from "../config";
import { errorNotice } from "../error-notice";
import { emailError, normalizeEmail } from "../forms";
import type { Navigate, SignedInPage } from "../routes";
import { routeAfter } from "../sign-in-steps";
import { useAction } from "../use-action";

/**
 * Cognito answers an unconfirmed account this way whatever the password, so
 * the person is sent to confirm without being told the password was right.
 * No code is sent automatically: anyone can type an address here, and an
 * automatic resend would let them mail it at will (and use up its resend
 * quota); a new code would also void the one the person may be holding.
 */
export const UNCONFIRMED: Notice = {
  tone: "error",
  text: "This email isn't confirmed yet. Enter the code we emailed you when you signed up, or choose Resend code to get a new one.",
};

const NO_PASSKEY =
  "There's no passkey for this account: it may have been removed. Choose another way to sign in.";

const UNSUPPORTED: Notice = {
  tone: "error",
  text: "This account needs a sign-in step this app doesn't support.",
};

export function SignIn({
  go,
  initialEmail = "",
  initialNotice,
  next = "profile",
  factors = ["PASSWORD"],
}: {
  go: Navigate;
  initialEmail?: string;
  initialNotice?: Notice;
  /** Where to go once signed in: the screen that sent the visitor here. */
  next?: SignedInPage;
  /** What the pool allows: the password always, an emailed code and passkeys when enabled. */
  factors?: Factor[];
}) {
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState("");
  const [notice, setNotice] = useState<Notice | undefined>(initialNotice);
  const choice = factors.some((factor) => factor !== "PASSWORD");
  const address = normalizeEmail(email);

  const offer = (friendly: FriendlyError, retry: () => void) =>
    errorNotice(friendly, { go, email: address, password, retry });

  const confirmFirst = () => go({ name: "confirm", email: address, password, notice: UNCONFIRMED });

  const follow = (step: SignInNext) => {
    if (step.outcome === "confirm") return confirmFirst();
    if (step.outcome === "reset-password") {
      return setNotice(
        offer(describeAuthError({ name: "PasswordResetRequiredException" }, "sign-in"), () => {}),
      );
    }
    const route = routeAfter(step, address, next);
    if (route) return go(route);
    setNotice(UNSUPPORTED);
  };

  const failed = (error: unknown, step: AuthStep, retry: () => void) => {
    const name = (error as { name?: string }).name;
    if (name === "UserAlreadyAuthenticatedException") return go({ name: next });
    if (name === "UserNotConfirmedException") return confirmFirst();
    setNotice(offer(describeAuthError(error, step), retry));
  };

  const submit = useAction(async () => {
    const invalid = emailError(email) ?? (password || choice ? undefined : "Enter your password.");
    if (invalid) return setNotice({ tone: "error", text: invalid });
    setNotice(undefined);
    try {
      // A typed password signs in with SRP; without one the pool lists what this user may use.
      if (password) follow({ outcome: await signInWithPassword(email, password) });
      else follow(await signInWithChoice(email));
    } catch (error) {
      failed(error, "sign-in", () => void submit.run());
    }
  });

  const [chosen, setChosen] = useState<Factor>();
  const withFactor = useAction(async (factor: Factor) => {
    setChosen(factor);
    const invalid = emailError(email);
    if (invalid) return setNotice({ tone: "error", text: invalid });
    setNotice(undefined);
    try {
      const step = await signInWithChoice(email, factor);
      if (step.outcome === "choose" && factor === "WEB_AUTHN" && !step.factors?.includes(factor)) {
        // The pool lists the user's passkeys: none left (removed, or never added).
        return go({
          name: "sign-in-method",
          email: address,
          factors: step.factors ?? [],
          notice: { tone: "error", text: NO_PASSKEY },
          ...(next === "profile" ? {} : { next }),
        });
      }
      follow(step);
    } catch (error) {
      const step = factor === "WEB_AUTHN" ? "passkey-sign-in" : "sign-in";
      failed(error, step, () => void withFactor.run(factor));
    }
  });

  const pending = submit.pending || withFactor.pending;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!withFactor.pending) void submit.run();
  };

  return (
    <Screen
      title="Sign in"
      intro="Welcome back. Sign in to see your profile."
      links={
        <>
          <LinkButton onClick={() => go({ name: "forgot-password", email: address })}>
            Forgot password?
          </LinkButton>
          <span>
            New here?{" "}
            <LinkButton onClick={() => go({ name: "sign-up", email: address })}>Sign up</LinkButton>
          </span>
        </>
      }
    >
      <form noValidate onSubmit={onSubmit} aria-busy={pending}>
        <EmailField value={email} onValueChange={setEmail} readOnly={pending} />
        <PasswordField
          label="Password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          readOnly={pending}
          required={!choice}
          hint={choice ? "Leave it empty to sign in another way." : undefined}
        />
        <Message notice={notice} pending={pending} />
        <Submit pending={submit.pending}>Sign in</Submit>
        {choice ? (
          <fieldset className="choices">
            <legend className="muted">Or sign in without a password</legend>
            {factors.includes("EMAIL_OTP") ? (
              <ActionButton
                disabled={pending}
                pending={withFactor.pending && chosen === "EMAIL_OTP"}
                onClick={() => void withFactor.run("EMAIL_OTP")}
                aria-describedby="send-code-hint"
              >
                Send code
              </ActionButton>
            ) : null}
            {factors.includes("EMAIL_OTP") ? (
              <span id="send-code-hint" className="hint">
                We'll email you a code to sign in with.
              </span>
            ) : null}
            {factors.includes("WEB_AUTHN") ? (
              <ActionButton
                disabled={pending}
                pending={withFactor.pending && chosen === "WEB_AUTHN"}
                onClick={() => void withFactor.run("WEB_AUTHN")}
              >
                Sign in with a passkey
              </ActionButton>
            ) : null}
          </fieldset>
        ) : null}
      </form>
    </Screen>
  );
}
