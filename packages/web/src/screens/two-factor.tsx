import { type FormEvent, useEffect, useRef, useState } from "react";
import { auth } from "../amplify";
import { describeAuthError, sessionEnded } from "../auth-errors";
import { BackToProfile } from "../components/links";
import { QrCode } from "../components/qr-code";
import { Screen } from "../components/screen";
import { ActionButton, CodeField, Message, type Notice, Submit } from "../components/ui";
import { APP_NAME, type Navigate } from "../routes";
import * as totp from "../two-factor-auth";
import { useAction } from "../use-action";

type State =
  | { step: "loading" }
  | { step: "on" }
  | { step: "setting-up"; secret: string; uri: string }
  | { step: "failed"; message: string };

/** Amplify configured first: the TOTP calls come with this screen's chunk, not Amplify's. */
const loadTwoFactor = async () => ({ amplify: await auth(), totp });

/**
 * Turns TOTP two-factor authentication on (a QR code for an authenticator
 * app, then a first code from it) or off. Opening the screen while it is off
 * starts the set-up: the pool issues a new secret each time.
 */
export function TwoFactor({
  go,
  onSessionExpired,
}: {
  go: Navigate;
  onSessionExpired: () => void;
}) {
  const [state, setState] = useState<State>({ step: "loading" });
  const [code, setCode] = useState("");
  const [notice, setNotice] = useState<Notice>();
  const started = useRef(false);

  const fail = (error: unknown, step: "two-factor-setup" | "two-factor") => {
    if (sessionEnded(error)) return onSessionExpired();
    setNotice({ tone: "error", text: describeAuthError(error, step).message });
  };

  const start = useAction(async () => {
    setNotice(undefined);
    try {
      const { amplify } = await loadTwoFactor();
      const { enabled } = await amplify.fetchMFAPreference();
      if (enabled?.includes("TOTP")) return setState({ step: "on" });
      const session = await amplify.fetchAuthSession();
      const account = String(session.tokens?.idToken?.payload.email ?? "");
      const { sharedSecret } = await totp.setUpTOTP();
      setState({
        step: "setting-up",
        secret: sharedSecret,
        uri: totp.totpSetupUri(APP_NAME, account, sharedSecret),
      });
    } catch (error) {
      if (sessionEnded(error)) return onSessionExpired();
      setState({ step: "failed", message: describeAuthError(error, "two-factor").message });
    }
  });

  const runStart = start.run;
  useEffect(() => {
    // Once per visit: a second set-up would replace the secret already shown.
    if (started.current) return;
    started.current = true;
    void runStart();
  }, [runStart]);

  const verify = useAction(async () => {
    if (!/^\d{6}$/.test(code.trim())) {
      return setNotice({
        tone: "error",
        text: "Enter the 6-digit code from your authenticator app.",
      });
    }
    setNotice(undefined);
    try {
      await loadTwoFactor();
      await totp.verifyTOTPSetup({ code: code.trim() });
      await totp.updateMFAPreference({ totp: "PREFERRED" });
    } catch (error) {
      setCode("");
      return fail(error, "two-factor-setup");
    }
    go({
      name: "profile",
      notice: { tone: "success", text: "Two-factor authentication is on." },
    });
  });

  const turnOff = useAction(async () => {
    setNotice(undefined);
    try {
      await loadTwoFactor();
      await totp.updateMFAPreference({ totp: "DISABLED" });
    } catch (error) {
      return fail(error, "two-factor");
    }
    go({
      name: "profile",
      notice: { tone: "success", text: "Two-factor authentication is off." },
    });
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void verify.run();
  };

  return (
    <Screen
      title="Two-factor authentication"
      intro="With two-factor authentication on, signing in with your password also asks for a code from an authenticator app."
      links={<BackToProfile go={go} />}
    >
      {state.step === "loading" ? (
        <p className="muted" aria-busy="true">
          Loading…
        </p>
      ) : null}
      {state.step === "failed" ? (
        <>
          <div role="alert" className="message error">
            <span>{state.message}</span>
          </div>
          <ActionButton
            disabled={start.pending}
            pending={start.pending}
            onClick={() => void start.run()}
          >
            Try again
          </ActionButton>
        </>
      ) : null}
      {state.step === "on" ? (
        <>
          <p>Two-factor authentication is on for your account.</p>
          <Message notice={notice} pending={turnOff.pending} />
          <ActionButton
            className="danger-button"
            disabled={turnOff.pending}
            pending={turnOff.pending}
            onClick={() => void turnOff.run()}
          >
            Turn off two-factor authentication
          </ActionButton>
        </>
      ) : null}
      {state.step === "setting-up" ? (
        <form noValidate onSubmit={onSubmit} aria-busy={verify.pending}>
          <ol className="steps">
            <li>
              Scan this QR code with your authenticator app.
              <div className="qr">
                <QrCode value={state.uri} label="QR code for your authenticator app" />
              </div>
              <p>
                Can't scan it? Enter this key instead:{" "}
                <code className="secret" data-testid="totp-secret">
                  {state.secret}
                </code>
              </p>
            </li>
            <li>Enter the 6-digit code the app shows.</li>
          </ol>
          <CodeField label="Code" value={code} onValueChange={setCode} readOnly={verify.pending} />
          <Message notice={notice} pending={verify.pending} />
          <Submit pending={verify.pending}>Verify</Submit>
        </form>
      ) : null}
    </Screen>
  );
}
