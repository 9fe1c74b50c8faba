import { type FormEvent, useState } from "react";
import { describeAuthError } from "../auth-errors";
import { continueSignIn, signInWithChoice } from "../auth-flow";
import { SignInAnotherWay } from "../components/links";
import { LocalMailbox } from "../components/local-mailbox";
import { Screen } from "../components/screen";
import { ActionButton, CodeField, Message, type Notice, Submit } from "../components/ui";
import { codeError } from "../forms";
import type { Navigate, SignedInPage } from "../routes";
import { routeAfter } from "../sign-in-steps";
import { useAction } from "../use-action";

/** Signing in with a code the pool emailed (EMAIL_OTP). */
export function SignInCode({
  go,
  email,
  initialNotice,
  next = "profile",
  mailboxUrl,
}: {
  go: Navigate;
  email: string;
  initialNotice?: Notice;
  next?: SignedInPage;
  mailboxUrl?: string;
}) {
  const [code, setCode] = useState("");
  const [notice, setNotice] = useState<Notice | undefined>(initialNotice);

  const fail = (error: unknown, retry: () => void) => {
    const friendly = describeAuthError(error, "sign-in-code");
    setNotice({
      tone: "error",
      text: friendly.message,
      ...(friendly.action === "resend-code"
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
      const route = routeAfter(await continueSignIn(code.trim()), email, next);
      if (route) return go(route);
      setNotice({
        tone: "error",
        text: "This account needs a sign-in step this app doesn't support.",
      });
    } catch (error) {
      fail(error, () => void verify.run());
    }
  });

  /** A new code needs a new sign-in: the pool sends one per sign-in session. */
  const resend = useAction(async () => {
    setNotice(undefined);
    try {
      const step = await signInWithChoice(email, "EMAIL_OTP");
      if (step.outcome !== "email-code") {
        const route = routeAfter(step, email, next);
        return route ? go(route) : undefined;
      }
      setCode("");
      setNotice({ tone: "success", text: `We sent a new code to ${email}.` });
    } catch (error) {
      fail(error, () => void resend.run());
    }
  });

  const pending = verify.pending || resend.pending;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!resend.pending) void verify.run();
  };

  return (
    <Screen
      title="Check your email"
      intro={
        <>
          We sent a sign-in code to <strong>{email}</strong>. Enter it below.
        </>
      }
      links={<SignInAnotherWay go={go} email={email} />}
      aside={
        mailboxUrl && email ? (
          <LocalMailbox
            mailboxUrl={mailboxUrl}
            email={email}
            kinds={["sign-in", "mfa"]}
            onUse={setCode}
          />
        ) : undefined
      }
    >
      <form noValidate onSubmit={onSubmit} aria-busy={pending}>
        <CodeField label="Code" value={code} onValueChange={setCode} readOnly={pending} />
        <Message notice={notice} pending={pending} />
        <Submit pending={verify.pending}>Sign in</Submit>
        <ActionButton disabled={pending} pending={resend.pending} onClick={() => void resend.run()}>
          Send a new code
        </ActionButton>
      </form>
    </Screen>
  );
}
