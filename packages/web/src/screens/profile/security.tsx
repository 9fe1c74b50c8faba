import type { ReactNode } from "react";
import { ActionButton, LinkButton } from "../../components/ui";
import type { Navigate } from "../../routes";

/** The Security section: each way to change how the person signs in, and ending every session. */
export function Security({
  go,
  busy,
  signingOutEverywhere,
  onSignOutEverywhere,
}: {
  go: Navigate;
  busy: boolean;
  signingOutEverywhere: boolean;
  onSignOutEverywhere: () => void;
}) {
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
