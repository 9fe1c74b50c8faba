import { type ReactNode, useEffect, useState } from "react";
import { auth } from "../../amplify";
import { ActionButton, LinkButton } from "../../components/ui";
import type { Navigate } from "../../routes";

/** The Security section: each way to change how the person signs in, and ending every session. */
export function Security({
  go,
  busy,
  signingOutEverywhere,
  onSignOutEverywhere,
  totpMfa = false,
  passkeys = false,
}: {
  /** Whether the pool allows passkeys (WEB_AUTHN) as a first factor. */
  passkeys?: boolean;
  go: Navigate;
  /** Whether the pool lets people turn on TOTP two-factor authentication. */
  totpMfa?: boolean;
  busy: boolean;
  signingOutEverywhere: boolean;
  onSignOutEverywhere: () => void;
}) {
  const twoFactor = useTwoFactorStatus(totpMfa);
  return (
    <section className="security" aria-labelledby="security-title">
      <h2 id="security-title">Security</h2>
      <ul className="security-list">
        <Item label="Password" detail="Change the password you sign in with.">
          <LinkButton onClick={() => go({ name: "change-password" })}>Change password</LinkButton>
        </Item>
        <Item label="Email" detail="Move your account to another address, once you've verified it.">
          <LinkButton onClick={() => go({ name: "change-email" })}>Change email</LinkButton>
        </Item>
        {totpMfa ? (
          <Item
            label="Two-factor authentication"
            detail={
              twoFactor === "on"
                ? "On: signing in with your password also asks for a code from your authenticator app."
                : twoFactor === "off"
                  ? "Off: add a code from an authenticator app to signing in with your password."
                  : "Checking…"
            }
          >
            {twoFactor === "unknown" ? null : (
              <LinkButton onClick={() => go({ name: "two-factor" })}>
                {twoFactor === "on"
                  ? "Turn off two-factor authentication"
                  : "Turn on two-factor authentication"}
              </LinkButton>
            )}
          </Item>
        ) : null}
        {passkeys ? (
          <Item
            label="Passkeys"
            detail="Sign in with this device's fingerprint, face or screen lock."
          >
            <LinkButton onClick={() => go({ name: "passkeys" })}>Manage passkeys</LinkButton>
          </Item>
        ) : null}
        <Item label="Sessions" detail="End your session on this and every other device.">
          <ActionButton
            disabled={busy}
            pending={signingOutEverywhere}
            onClick={onSignOutEverywhere}
          >
            Sign out of all devices
          </ActionButton>
        </Item>
      </ul>
    </section>
  );
}

function Item({ label, detail, children }: { label: string; detail: string; children: ReactNode }) {
  return (
    <li>
      <div>
        <h3>{label}</h3>
        <p className="muted">{detail}</p>
      </div>
      {children}
    </li>
  );
}

/** Whether TOTP is on for this user (GetUser's UserMFASettingList, through Amplify). */
function useTwoFactorStatus(enabled: boolean): "on" | "off" | "unknown" {
  const [status, setStatus] = useState<"on" | "off" | "unknown">("unknown");
  useEffect(() => {
    if (!enabled) return;
    let current = true;
    auth()
      .then(({ fetchMFAPreference }) => fetchMFAPreference())
      .then(({ enabled: methods }) => {
        if (current) setStatus(methods?.includes("TOTP") ? "on" : "off");
      })
      .catch(() => {
        if (current) setStatus("off");
      });
    return () => {
      current = false;
    };
  }, [enabled]);
  return status;
}
