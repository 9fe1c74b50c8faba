import { type FormEvent, useState } from "react";
import { auth } from "../amplify";
import { describeAuthError, sessionEnded } from "../auth-errors";
import { BackToProfile } from "../components/links";
import { LocalMailbox } from "../components/local-mailbox";
import { Screen } from "../components/screen";
import { ActionButton, CodeField, Message, type Notice, Submit } from "../components/ui";
import { codeError } from "../forms";
import type { Navigate } from "../routes";
import { useAction } from "../use-action";

/** The second step of an email change: the code sent to the new address makes it the account's email. */
export function VerifyEmail({
  go,
  email,
  initialNotice,
  mailboxUrl,
  onSessionExpired,
  syncEmail,
}: {
  go: Navigate;
  /** Brings the profile's email in step with the one just verified. */
  syncEmail: () => Promise<unknown>;
  /** The new address, from the URL: shown and used for the local mailbox only. */
  email: string;
  initialNotice?: Notice;
  mailboxUrl?: string;
  onSessionExpired: () => void;
}) {
  const [code, setCode] = useState("");
  const [notice, setNotice] = useState<Notice | undefined>(initialNotice);

  const fail = (error: unknown, step: "verify-email" | "resend-code", retry: () => void) => {
    if (sessionEnded(error)) return onSessionExpired();
    const friendly = describeAuthError(error, step);
    const resendOffered = friendly.action === "resend-code";
    setNotice({
      tone: "error",
      text: friendly.message,
      ...(resendOffered
        ? { action: { label: "Send a new code", onClick: () => void resend.run() } }
        : friendly.action === "retry"
          ? { action: { label: "Try again", onClick: retry } }
          : {}),
    });
  };

  const verify = useAction(async () => {
    const invalid = codeError(code);
    if (invalid) return setNotice({ tone: "error", text: invalid });
    setNotice(undefined);
    try {
      const { confirmUserAttribute } = await auth();
      await confirmUserAttribute({ userAttributeKey: "email", confirmationCode: code.trim() });
    } catch (error) {
      return fail(error, "verify-email", () => void verify.run());
    }
    // The profile follows at once; should this fail, GET /me and reconcile catch up later.
    await syncEmail().catch(() => {});
    go({
      name: "profile",
      notice: {
        tone: "success",
        text: email ? `Your email is now ${email}.` : "Your new email is verified.",
      },
    });
  });

  const resend = useAction(async () => {
    setNotice(undefined);
    try {
      const { sendUserAttributeVerificationCode } = await auth();
      await sendUserAttributeVerificationCode({ userAttributeKey: "email" });
      setCode("");
      setNotice({
        tone: "success",
        text: email ? `We sent a new code to ${email}.` : "We sent a new code.",
      });
    } catch (error) {
      fail(error, "resend-code", () => void resend.run());
    }
  });

  const pending = verify.pending || resend.pending;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!resend.pending) void verify.run();
  };

  return (
    <Screen
      title="Verify your new email"
      intro={
        email ? (
          <>
            Enter the code we sent to <strong>{email}</strong>. Your current email works until you
            do.
          </>
        ) : (
          "Enter the code we sent to your new email. Your current email works until you do."
        )
      }
      links={<BackToProfile go={go} />}
      aside={
        mailboxUrl && email ? (
          <LocalMailbox
            mailboxUrl={mailboxUrl}
            email={email}
            kinds={["verify-attribute"]}
            onUse={setCode}
          />
        ) : undefined
      }
    >
      <form noValidate onSubmit={onSubmit} aria-busy={pending}>
        <CodeField label="Code" value={code} onValueChange={setCode} readOnly={pending} />
        <Message notice={notice} pending={pending} />
        <Submit pending={verify.pending}>Verify</Submit>
        <ActionButton disabled={pending} pending={resend.pending} onClick={() => void resend.run()}>
          Resend code
        </ActionButton>
      </form>
    </Screen>
  );
}
