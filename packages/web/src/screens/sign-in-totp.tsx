import { type FormEvent, useState } from "react";
import { describeAuthError } from "../auth-errors";
import { continueSignIn } from "../auth-flow";
import { SignInAnotherWay } from "../components/links";
import { Screen } from "../components/screen";
import { CodeField, Message, type Notice, Submit } from "../components/ui";
import type { Navigate, SignedInPage } from "../routes";
import { routeAfter } from "../sign-in-steps";
import { useAction } from "../use-action";

/** The second factor after the password: a code from the person's authenticator app (TOTP). */
export function SignInTotp({ go, next = "profile" }: { go: Navigate; next?: SignedInPage }) {
  const [code, setCode] = useState("");
  const [notice, setNotice] = useState<Notice>();

  const verify = useAction(async () => {
    if (!/^\d{6}$/.test(code.trim())) {
      return setNotice({
        tone: "error",
        text: "Enter the 6-digit code from your authenticator app.",
      });
    }
    setNotice(undefined);
    try {
      const route = routeAfter(await continueSignIn(code.trim()), "", next);
      if (route) return go(route);
      setNotice({
        tone: "error",
        text: "This account needs a sign-in step this app doesn't support.",
      });
    } catch (error) {
      const friendly = describeAuthError(error, "sign-in-totp");
      setCode("");
      setNotice({
        tone: "error",
        text: friendly.message,
        ...(friendly.action === "sign-in"
          ? { action: { label: "Start again", onClick: () => go({ name: "sign-in" }) } }
          : {}),
      });
    }
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void verify.run();
  };

  return (
    <Screen
      title="Two-factor authentication"
      intro="Enter the 6-digit code your authenticator app shows for this account."
      links={<SignInAnotherWay go={go} email="" />}
    >
      <form noValidate onSubmit={onSubmit} aria-busy={verify.pending}>
        <CodeField label="Code" value={code} onValueChange={setCode} readOnly={verify.pending} />
        <Message notice={notice} pending={verify.pending} />
        <Submit pending={verify.pending}>Sign in</Submit>
      </form>
    </Screen>
  );
}
