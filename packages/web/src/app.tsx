import { signOut } from "aws-amplify/auth";
import { useCallback, useEffect, useMemo, useState } from "react";
import { type ApiClient, createApiClient } from "./api";
import { describeAuthError } from "./auth-errors";
import type { Notice } from "./components/ui";
import type { AppConfig } from "./config";
import type { Route } from "./routes";
import { Confirm } from "./screens/confirm";
import { ForgotPassword } from "./screens/forgot-password";
import { Profile } from "./screens/profile";
import { SignIn } from "./screens/sign-in";
import { SignUp } from "./screens/sign-up";
import { currentIdToken, endSession, keepSessionFresh, restoreSession } from "./session";

/** Cognito refused the refresh token (expired, revoked or signed out elsewhere): Amplify has dropped it. */
const EXPIRED: Notice = {
  tone: "error",
  text: describeAuthError({ name: "NotAuthorizedException" }, "session").message,
};

export function App({ config, api: apiOverride }: { config: AppConfig; api?: ApiClient }) {
  const [route, setRoute] = useState<Route>({ name: "loading" });
  const api = useMemo(
    () => apiOverride ?? createApiClient(config.apiUrl, currentIdToken),
    [apiOverride, config.apiUrl],
  );

  useEffect(() => {
    let cancelled = false;
    void restoreSession().then((session) => {
      if (cancelled) return;
      if (session === "signed-in") setRoute({ name: "profile" });
      else
        setRoute(
          session === "expired" ? { name: "sign-in", notice: EXPIRED } : { name: "sign-in" },
        );
    });
    return () => {
      cancelled = true;
    };
  }, []);

  const onSessionExpired = useCallback(() => {
    setRoute({ name: "sign-in", notice: EXPIRED });
    void signOut().catch(() => {});
  }, []);
  const signedIn = route.name === "profile";
  useEffect(
    () => (signedIn ? keepSessionFresh(onSessionExpired) : undefined),
    [signedIn, onSessionExpired],
  );

  return (
    <>
      <header className="topbar">
        <span className="brand">User Profile</span>
        {config.mailboxUrl ? <span className="badge">Local stack</span> : null}
      </header>
      <main>{screen(route, setRoute, config, api, onSessionExpired)}</main>
    </>
  );
}

function screen(
  route: Route,
  go: (route: Route) => void,
  config: AppConfig,
  api: ApiClient,
  onSessionExpired: () => void,
) {
  switch (route.name) {
    case "loading":
      return (
        <div className="layout">
          <div className="card loading" aria-busy="true">
            <p className="muted">Loading…</p>
          </div>
        </div>
      );
    case "sign-in":
      return (
        <SignIn
          key={keyOf(route)}
          go={go}
          initialEmail={route.email}
          initialNotice={route.notice}
        />
      );
    case "sign-up":
      return <SignUp go={go} initialEmail={route.email} />;
    case "confirm":
      return (
        <Confirm
          go={go}
          initialEmail={route.email}
          password={route.password}
          initialNotice={route.notice}
          mailboxUrl={config.mailboxUrl}
        />
      );
    case "forgot-password":
      return <ForgotPassword go={go} initialEmail={route.email} mailboxUrl={config.mailboxUrl} />;
    case "profile":
      return (
        <Profile
          api={api}
          apiUrl={config.apiUrl}
          initialNotice={route.notice}
          endSession={(options) => endSession(config, options)}
          onSignedOut={() =>
            go({ name: "sign-in", notice: { tone: "success", text: "You're signed out." } })
          }
          onDeleted={() =>
            go({
              name: "sign-in",
              notice: { tone: "success", text: "Your account and profile were deleted." },
            })
          }
          onSessionExpired={onSessionExpired}
        />
      );
  }
}

/** A new notice or email remounts the sign-in form, so it starts from them. */
function keyOf(route: { email?: string; notice?: Notice }) {
  return `${route.email ?? ""}|${route.notice?.text ?? ""}`;
}
