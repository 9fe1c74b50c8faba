import { type FormEvent, useState } from "react";
import { describeAuthError, type FriendlyError } from "../auth-errors";
import { signInWithPassword } from "../auth-flow";
import { Screen } from "../components/screen";
import {
  EmailField,
  LinkButton,
  Message,
  type Notice,
  PasswordField,
  Submit,
} from "../components/ui";
import { errorNotice } from "../error-notice";
import { emailError, normalizeEmail } from "../forms";
import type { Navigate, SignedInPage } from "../routes";
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

export function SignIn({
  go,
  initialEmail = "",
  initialNotice,
  next = "profile",
}: {
  go: Navigate;
  initialEmail?: string;
  initialNotice?: Notice;
  /** Where to go once signed in: the screen that sent the visitor here. */
  next?: SignedInPage;
}) {
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState("");
  const [notice, setNotice] = useState<Notice | undefined>(initialNotice);

  const offer = (friendly: FriendlyError) =>
    errorNotice(friendly, {
      go,
      email: normalizeEmail(email),
      password,
      retry: () => void submit.run(),
    });

  const submit = useAction(async () => {
    const invalid = emailError(email) ?? (password ? undefined : "Enter your password.");
    if (invalid) return setNotice({ tone: "error", text: invalid });
    setNotice(undefined);
    const confirmFirst = () =>
      go({ name: "confirm", email: normalizeEmail(email), password, notice: UNCONFIRMED });
    try {
      const outcome = await signInWithPassword(email, password);
      if (outcome === "signed-in") return go({ name: next });
      if (outcome === "confirm") return confirmFirst();
      if (outcome === "reset-password") {
        return setNotice(
          offer(describeAuthError({ name: "PasswordResetRequiredException" }, "sign-in")),
        );
      }
      setNotice({
        tone: "error",
        text: "This account needs a sign-in step this app doesn't support.",
      });
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === "UserAlreadyAuthenticatedException") return go({ name: next });
      if (name === "UserNotConfirmedException") return confirmFirst();
      setNotice(offer(describeAuthError(error, "sign-in")));
    }
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit.run();
  };

  return (
    <Screen
      title="Sign in"
      intro="Welcome back. Sign in to see your profile."
      links={
        <>
          <LinkButton onClick={() => go({ name: "forgot-password", email: normalizeEmail(email) })}>
            Forgot password?
          </LinkButton>
          <span>
            New here?{" "}
            <LinkButton onClick={() => go({ name: "sign-up", email: normalizeEmail(email) })}>
              Sign up
            </LinkButton>
          </span>
        </>
      }
    >
      <form noValidate onSubmit={onSubmit} aria-busy={submit.pending}>
        <EmailField value={email} onValueChange={setEmail} readOnly={submit.pending} />
        <PasswordField
          label="Password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          readOnly={submit.pending}
          required
        />
        <Message notice={notice} pending={submit.pending} />
        <Submit pending={submit.pending}>Sign in</Submit>
      </form>
    </Screen>
  );
}
