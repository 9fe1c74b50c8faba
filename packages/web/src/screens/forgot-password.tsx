import { type FormEvent, useState } from "react";
import { auth } from "../amplify";
import { describeAuthError, type FriendlyError } from "../auth-errors";
import { confirmedDespiteTrigger, signInAfter } from "../auth-flow";
import { BackToSignIn } from "../components/links";
import { LocalMailbox } from "../components/local-mailbox";
import { Screen } from "../components/screen";
import {
  ActionButton,
  CodeField,
  EmailField,
  Message,
  type Notice,
  PasswordField,
  PasswordRules,
  Submit,
} from "../components/ui";
import { errorNotice } from "../error-notice";
import { checkPassword, codeError, emailError, isStrongPassword, normalizeEmail } from "../forms";
import type { Navigate } from "../routes";
import { useAction } from "../use-action";

export function ForgotPassword({
  go,
  initialEmail = "",
  mailboxUrl,
}: {
  go: Navigate;
  initialEmail?: string;
  mailboxUrl?: string;
}) {
  const [step, setStep] = useState<"request" | "reset">("request");
  const [email, setEmail] = useState(initialEmail);
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const [notice, setNotice] = useState<Notice>();
  const address = normalizeEmail(email);

  const toNotice = (friendly: FriendlyError, retry: () => void) =>
    errorNotice(friendly, { go, email: address, retry, resend: () => void request.run() });

  const request = useAction(async () => {
    const invalid = emailError(email);
    if (invalid) return setNotice({ tone: "error", text: invalid });
    setNotice(undefined);
    try {
      const { resetPassword } = await auth();
      await resetPassword({ username: address });
      setStep("reset");
      setNotice({ tone: "info", text: `If ${address} has an account, a code is on its way.` });
    } catch (error) {
      setNotice(toNotice(describeAuthError(error, "forgot-password"), () => void request.run()));
    }
  });

  const reset = useAction(async () => {
    const invalid =
      codeError(code) ??
      (isStrongPassword(password)
        ? undefined
        : "This password is too weak: it must meet every rule listed.");
    if (invalid) return setNotice({ tone: "error", text: invalid });
    setNotice(undefined);
    try {
      const { confirmResetPassword } = await auth();
      await confirmResetPassword({
        username: address,
        confirmationCode: code.trim(),
        newPassword: password,
      });
    } catch (error) {
      if (!confirmedDespiteTrigger(error)) {
        return setNotice(
          toNotice(describeAuthError(error, "reset-password"), () => void reset.run()),
        );
      }
    }
    await signInAfter(go, address, password, {
      tone: "success",
      text: "Password changed. Sign in with your new password.",
    });
  });

  const pending = request.pending || reset.pending;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    void (step === "request" ? request.run() : reset.run());
  };

  return (
    <Screen
      title="Reset your password"
      intro={
        step === "request"
          ? "Enter your email and we'll send you a code to set a new password."
          : "Enter the code we emailed you and choose a new password."
      }
      links={<BackToSignIn go={go} email={address} />}
      aside={
        mailboxUrl && step === "reset" ? (
          <LocalMailbox
            mailboxUrl={mailboxUrl}
            email={address}
            kinds={["forgot-password"]}
            onUse={setCode}
          />
        ) : undefined
      }
    >
      <form noValidate onSubmit={onSubmit} aria-busy={pending}>
        <EmailField value={email} onValueChange={setEmail} readOnly={pending || step === "reset"} />
        {step === "reset" ? (
          <>
            <CodeField value={code} onValueChange={setCode} readOnly={pending} />
            <PasswordField
              label="New password"
              name="new-password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              readOnly={pending}
              required
              hint={<PasswordRules checks={checkPassword(password)} />}
            />
          </>
        ) : null}
        <Message notice={notice} pending={pending} />
        {step === "request" ? (
          <Submit pending={request.pending}>Send code</Submit>
        ) : (
          <>
            <Submit pending={reset.pending}>Reset password</Submit>
            <ActionButton
              disabled={pending}
              pending={request.pending}
              onClick={() => void request.run()}
            >
              Resend code
            </ActionButton>
          </>
        )}
      </form>
    </Screen>
  );
}
