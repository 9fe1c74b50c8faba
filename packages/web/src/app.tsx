import { Suspense, use, useCallback, useEffect, useMemo, useState } from "react";
import { auth, setAuthConfig } from "./amplify";
import { type ApiClient, createApiClient } from "./api";
import { describeAuthError } from "./auth-errors";
import { LoadError } from "./components/load-error";
import type { Notice } from "./components/ui";
import { type AppConfig, factorsOf, offersChoice } from "./config";
import {
  currentLocation,
  extrasOf,
  type HistoryLocation,
  navigate,
  redirect,
  useHistoryLocation,
} from "./router";
import { type Extras, extrasOfRoute, pages, type Route, resolve, titleOf, urlOf } from "./routes";
import { screens } from "./screens";
import { currentIdToken, endSession, keepSessionFresh } from "./session";
import { hasStoredSession } from "./stored-session";

/** Cognito refused the refresh token (expired, revoked or signed out elsewhere): Amplify has dropped it. */
const EXPIRED: Notice = {
  tone: "error",
  text: describeAuthError({ name: "NotAuthorizedException" }, "session").message,
};

export interface AppProps {
  config: AppConfig;
  api?: ApiClient;
  /** Where the first render is (the prerendered page's place while hydrating); the browser's location by default. */
  initialLocation?: HistoryLocation;
  /** Whether tokens are stored; read from Amplify's storage by default. */
  signedIn?: boolean;
}

export function App({ config, api: apiOverride, initialLocation, signedIn: stored }: AppProps) {
  setAuthConfig(config);
  const location = useHistoryLocation(useState(() => initialLocation ?? currentLocation())[0]);
  const [signedIn, setSignedIn] = useState(
    () => stored ?? hasStoredSession(config.userPoolClientId),
  );
  const api = useMemo(
    () => apiOverride ?? createApiClient(config.apiUrl, currentIdToken),
    [apiOverride, config.apiUrl],
  );
  const { route, url } = resolve(location, extrasOf<Extras>(location), signedIn);
  const here = `${location.path}${location.search}`;

  useEffect(() => {
    // Only once the browser is where this render is (not the prerendered page's place).
    if (url !== here && here === `${window.location.pathname}${window.location.search}`) {
      redirect(url);
    }
  }, [url, here]);
  const title = titleOf(route);
  useEffect(() => {
    document.title = title;
  }, [title]);

  const go = useCallback(
    (to: Route) => {
      const toSignedIn = to.name !== "not-found" && pages[to.name].access === "signed-in";
      // Signing in takes the place of the screen it happened on.
      if (toSignedIn && !signedIn) setSignedIn(true);
      navigate(urlOf(to), { replace: toSignedIn && !signedIn, extras: extrasOfRoute(to) });
    },
    [signedIn],
  );
  const leave = useCallback((notice: Notice) => {
    setSignedIn(false);
    navigate(urlOf({ name: "sign-in" }), { replace: true, extras: { notice } });
  }, []);
  const onSessionExpired = useCallback(() => {
    leave(EXPIRED);
    void auth()
      .then(({ signOut }) => signOut())
      .catch(() => {});
  }, [leave]);

  const behindSignIn = route.name !== "not-found" && pages[route.name].access === "signed-in";
  useEffect(
    () => (behindSignIn ? keepSessionFresh(onSessionExpired) : undefined),
    [behindSignIn, onSessionExpired],
  );

  const screenKey = `${location.key}|${location.search}`;
  return (
    <>
      <header className="topbar">
        <span className="brand">User Profile</span>
        {config.mailboxUrl ? <span className="badge">Local stack</span> : null}
      </header>
      <main>
        <LoadError resetKey={screenKey}>
          <Suspense fallback={<Loading />}>
            <ScreenFor
              key={screenKey}
              route={route}
              go={go}
              config={config}
              api={api}
              leave={leave}
              onSessionExpired={onSessionExpired}
            />
          </Suspense>
        </LoadError>
      </main>
    </>
  );
}

function Loading() {
  return (
    <div className="layout">
      <div className="card loading" aria-busy="true">
        <p className="muted">Loading…</p>
      </div>
    </div>
  );
}

function ScreenFor({
  route,
  go,
  config,
  api,
  leave,
  onSessionExpired,
}: {
  route: Route;
  go: (route: Route) => void;
  config: AppConfig;
  api: ApiClient;
  leave: (notice: Notice) => void;
  onSessionExpired: () => void;
}) {
  switch (route.name) {
    case "sign-in": {
      const SignIn = use(screens["sign-in"]());
      return (
        <SignIn
          go={go}
          initialEmail={route.email}
          initialNotice={route.notice}
          next={route.next}
          factors={factorsOf(config)}
        />
      );
    }
    case "sign-in-method": {
      const SignInMethod = use(screens["sign-in-method"]());
      return (
        <SignInMethod
          go={go}
          email={route.email}
          factors={route.factors}
          initialNotice={route.notice}
          next={route.next}
        />
      );
    }
    case "sign-in-code": {
      const SignInCode = use(screens["sign-in-code"]());
      return (
        <SignInCode
          go={go}
          email={route.email}
          initialNotice={route.notice}
          next={route.next}
          mailboxUrl={config.mailboxUrl}
        />
      );
    }
    case "sign-in-totp": {
      const SignInTotp = use(screens["sign-in-totp"]());
      return <SignInTotp go={go} next={route.next} />;
    }
    case "sign-up": {
      const SignUp = use(screens["sign-up"]());
      return <SignUp go={go} initialEmail={route.email} signInWithSession={offersChoice(config)} />;
    }
    case "confirm": {
      const Confirm = use(screens.confirm());
      return (
        <Confirm
          go={go}
          initialEmail={route.email}
          password={route.password}
          initialNotice={route.notice}
          mailboxUrl={config.mailboxUrl}
        />
      );
    }
    case "forgot-password": {
      const ForgotPassword = use(screens["forgot-password"]());
      return <ForgotPassword go={go} initialEmail={route.email} mailboxUrl={config.mailboxUrl} />;
    }
    case "profile": {
      const Profile = use(screens.profile());
      return (
        <Profile
          go={go}
          passkeys={factorsOf(config).includes("WEB_AUTHN")}
          totpMfa={config.totpMfa}
          api={api}
          apiUrl={config.apiUrl}
          initialNotice={route.notice}
          endSession={(options) => endSession(config, options)}
          onSignedOut={(everywhere) =>
            leave({
              tone: "success",
              text: everywhere ? "You're signed out on every device." : "You're signed out.",
            })
          }
          onDeleted={() =>
            leave({ tone: "success", text: "Your account and profile were deleted." })
          }
          onSessionExpired={onSessionExpired}
        />
      );
    }
    case "change-password": {
      const ChangePassword = use(screens["change-password"]());
      return <ChangePassword go={go} onSessionExpired={onSessionExpired} />;
    }
    case "change-email": {
      const ChangeEmail = use(screens["change-email"]());
      return <ChangeEmail go={go} onSessionExpired={onSessionExpired} />;
    }
    case "verify-email": {
      const VerifyEmail = use(screens["verify-email"]());
      return (
        <VerifyEmail
          go={go}
          email={route.email ?? ""}
          initialNotice={route.notice}
          mailboxUrl={config.mailboxUrl}
          onSessionExpired={onSessionExpired}
          syncEmail={() => api.syncEmail()}
        />
      );
    }
    case "passkeys": {
      const Passkeys = use(screens.passkeys());
      return <Passkeys go={go} onSessionExpired={onSessionExpired} />;
    }
    case "two-factor": {
      const TwoFactor = use(screens["two-factor"]());
      return <TwoFactor go={go} onSessionExpired={onSessionExpired} />;
    }
    case "not-found": {
      const NotFound = use(screens["not-found"]());
      return <NotFound />;
    }
  }
}
