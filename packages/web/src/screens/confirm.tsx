import { type FormEvent, useState } from "react";
import { auth } from "../amplify";
import { describeAuthError, type FriendlyError } from "../auth-errors";
import { confirmedDespiteTrigger, signedInWithSession, signInAfter } from "../auth-flow";
import { BackToSignIn } from "../components/links";
import { LocalMailbox } from "../components/local-mailbox";
import { Screen } from "../components/screen";
import {
  ActionButton,
  CodeField,
  EmailField,
  Message,
  type Notice,
  Submit,
} from "../components/ui";
import { errorNotice } from "../error-notice";
import { codeError, emailError, normalizeEmail } from "../forms";
import type { Navigate } from "../routes";
import { useAction } from "../use-action";

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

  const confirm = useAction(async () => {
    const invalid = emailError(email) ?? codeError(code);
    if (invalid) return setNotice({ tone: "error", text: invalid });
    setNotice(undefined);
    try {
      const { confirmSignUp } = await auth();
      const confirmed = await confirmSignUp({
        username: address,
        confirmationCode: code.trim(),
      });
      const step = confirmed?.nextStep?.signUpStep;
      if (step === "COMPLETE_AUTO_SIGN_IN" && (await signedInWithSession())) {
        return go({ name: "profile" });
      }
    } catch (error) {
      if (!confirmedDespiteTrigger(error)) {
        return setNotice(
          toNotice(describeAuthError(error, "confirm-sign-up"), () => void confirm.run()),
        );
      }
    }
    await signInAfter(go, address, password, {
      tone: "success",
      text: "Email confirmed. Sign in to continue.",
    });
  });

  const resend = useAction(async () => {
    const invalid = emailError(email);
    if (invalid) return setNotice({ tone: "error", text: invalid });
    setNotice(undefined);
    try {
      const { resendSignUpCode } = await auth();
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
      links={<BackToSignIn go={go} email={address} />}
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
        <CodeField value={code} onValueChange={setCode} readOnly={pending} />
        <Message notice={notice} pending={pending} />
        <Submit pending={confirm.pending}>Confirm</Submit>
        <ActionButton disabled={pending} pending={resend.pending} onClick={() => void resend.run()}>
          Resend code
        </ActionButton>
      </form>
    </Screen>
  );
}
