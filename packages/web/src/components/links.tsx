import type { MouseEvent, ReactNode } from "react";
import { navigate } from "../router";
import type { Navigate } from "../routes";
import { LinkButton } from "./ui";

/** The way back from a flow that started at sign-in, carrying the email typed so far. */
export function BackToSignIn({ go, email }: { go: Navigate; email: string }) {
  return <LinkButton onClick={() => go({ name: "sign-in", email })}>Sign in</LinkButton>;
}

/** Leaves a sign-in under way for the sign-in screen, whose "Sign in" button this must not be confused with. */
export function SignInAnotherWay({ go, email }: { go: Navigate; email: string }) {
  return (
    <LinkButton onClick={() => go({ name: "sign-in", email })}>Sign in another way</LinkButton>
  );
}

/** The way back from a screen of the Security section. */
export function BackToProfile({ go }: { go: Navigate }) {
  return <LinkButton onClick={() => go({ name: "profile" })}>Back to your profile</LinkButton>;
}

/** A real link to one of the app's own URLs, followed without reloading the page. */
export function AppLink({ href, children }: { href: string; children: ReactNode }) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    const modified = event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
    if (event.defaultPrevented || event.button !== 0 || modified) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a className="link" href={href} onClick={follow}>
      {children}
    </a>
  );
}
