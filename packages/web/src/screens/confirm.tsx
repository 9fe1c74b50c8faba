import { confirmSignUp, resendSignUpCode } from "aws-amplify/auth";
import { type FormEvent, useState } from "react";
import { describeAuthError, type FriendlyError } from "../auth-errors";
import { LocalMailbox } from "../components/local-mailbox";
import { Screen } from "../components/screen";
import { EmailField, Field, Message, type Notice, Submit } from "../components/ui";
import { errorNotice } from "../error-notice";
import { codeError, emailError, normalizeEmail } from "../forms";
import type { Navigate } from "../routes";
import { useAction } from "../use-action";
import { signInWithPassword } from "./sign-in";

/**
 * A failing Post Confirmation trigger surfaces as this error, yet the user is
 * confirmed (Cognito's behaviour); the API heals the missing profile later.
 */
const CONFIRMED_DESPITE_TRIGGER = "UserLambdaValidationException";

export function Confirm({
  go,
  initialEmail,
  password,
  initialNotice,
  mailboxUrl,
}: {
  go: Navigate;
  initialEmail: string;
  password?: string;
  initialNotice?: Notice;
  mailboxUrl?: string;
}) {
  const [email, setEmail] = useState(initialEmail);
  const [code, setCode] = useState("");
  const [notice, setNotice] = useState<Notice | undefined>(initialNotice);
  const address = normalizeEmail(email);

  const toNotice = (friendly: FriendlyError, retry: () => void) =>
    errorNotice(friendly, { go, email: address, retry, resend: () => void resend.run() });

  const finish = async () => {
    const confirmed: Notice = { tone: "success", text: "Email confirmed. Sign in to continue." };
    if (!password) return go({ name: "sign-in", email: address, notice: confirmed });
    try {
      if ((await signInWithPassword(address, password)) === "signed-in") {
        return go({ name: "profile" });
      }
    } catch {}
    go({ name: "sign-in", email: address, notice: confirmed });
  };

  const confirm = useAction(async () => {
    const invalid = emailError(email) ?? codeError(code);
    if (invalid) return setNotice({ tone: "error", text: invalid });
    setNotice(undefined);
    try {
      await confirmSignUp({ username: address, confirmationCode: code.trim() });
    } catch (error) {
      if ((error as { name?: string }).name !== CONFIRMED_DESPITE_TRIGGER) {
        return setNotice(
          toNotice(describeAuthError(error, "confirm-sign-up"), () => void confirm.run()),
        );
      }
    }
    await finish();
  });

  const resend = useAction(async () => {
    const invalid = emailError(email);
    if (invalid) return setNotice({ tone: "error", text: invalid });
    setNotice(undefined);
    try {
      await resendSignUpCode({ username: address });
      setCode("");
      setNotice({ tone: "success", text: `We sent a new code to ${address}.` });
    } catch (error) {
      setNotice(toNotice(describeAuthError(error, "resend-code"), () => void resend.run()));
    }
  });

  const pending = confirm.pending || resend.pending;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!resend.pending) void confirm.run();
  };

  return (
    <Screen
      title="Confirm your email"
      intro={
        initialEmail ? (
          <>
            We sent a code to <strong>{initialEmail}</strong>. Enter it below to finish.
          </>
        ) : (
          "Enter the code we emailed you to finish signing up."
        )
      }
      aside={
        mailboxUrl ? (
          <LocalMailbox
            mailboxUrl={mailboxUrl}
            email={emailError(email) ? "" : address}
            kinds={["signup", "resend"]}
            onUse={setCode}
          />
        ) : undefined
      }
    >
      <form noValidate onSubmit={onSubmit} aria-busy={pending}>
        <EmailField value={email} onValueChange={setEmail} readOnly={pending} />
        <Field
          label="Confirmation code"
          name="code"
          autoComplete="one-time-code"
          inputMode="numeric"
          maxLength={10}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          readOnly={pending}
          required
        />
        <Message notice={notice} pending={pending} />
        <Submit pending={confirm.pending}>Confirm</Submit>
        <button
          type="button"
          className="secondary"
          aria-disabled={pending}
          data-pending={resend.pending}
          onClick={() => {
            if (!confirm.pending) void resend.run();
          }}
        >
          <span className="spinner" aria-hidden="true" />
          Resend code
        </button>
      </form>
      <div className="links">
        <button
          type="button"
          className="link"
          onClick={() => go({ name: "sign-in", email: address })}
        >
          Sign in
        </button>
      </div>
    </Screen>
  );
}
