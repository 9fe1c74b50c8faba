import { useEffect, useState } from "react";

export interface MailboxMessage {
  to: string;
  kind: "signup" | "resend" | "forgot-password" | "verify-attribute" | "sign-in" | "mfa";
  code: string;
  sentAt: string;
}

const KIND_LABEL: Record<MailboxMessage["kind"], string> = {
  signup: "sign-up",
  resend: "resent",
  "forgot-password": "password reset",
  "verify-attribute": "new email",
  "sign-in": "sign-in",
  mfa: "sign-in",
};

export const MAILBOX_POLL_MS = 1500;

export function latestMessage(
  messages: MailboxMessage[],
  kinds?: MailboxMessage["kind"][],
): MailboxMessage | undefined {
  return messages.filter((m) => !kinds || kinds.includes(m.kind)).at(-1);
}

/** Local stack only: shows the newest code the emulated pool "sent" to this address. */
export function LocalMailbox({
  mailboxUrl,
  email,
  kinds,
  onUse,
}: {
  mailboxUrl: string;
  email: string;
  kinds?: MailboxMessage["kind"][];
  onUse: (code: string) => void;
}) {
  const [latest, setLatest] = useState<MailboxMessage | undefined>();
  const [unreachable, setUnreachable] = useState(false);
  const kindsKey = kinds?.join(",") ?? "";

  useEffect(() => {
    setLatest(undefined);
    if (!email) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const wanted = kindsKey ? (kindsKey.split(",") as MailboxMessage["kind"][]) : undefined;
    async function poll() {
      try {
        const response = await fetch(`${mailboxUrl}/${encodeURIComponent(email)}`, {
          signal: controller.signal,
        });
        const messages = (await response.json()) as MailboxMessage[];
        setLatest(latestMessage(messages, wanted));
        setUnreachable(false);
      } catch {
        if (controller.signal.aborted) return;
        setUnreachable(true);
      }
      timer = setTimeout(poll, MAILBOX_POLL_MS);
    }
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [mailboxUrl, email, kindsKey]);

  return (
    <aside className="mailbox" aria-labelledby="mailbox-title">
      <h2 id="mailbox-title">Local mailbox</h2>
      <p className="mailbox-to">{email || "Enter an email to see its codes."}</p>
      {latest ? (
        <div className="mailbox-code">
          <code data-testid="mailbox-code">{latest.code}</code>
          <span className="muted">
            {KIND_LABEL[latest.kind]} · {new Date(latest.sentAt).toLocaleTimeString()}
          </span>
          <button type="button" className="link" onClick={() => onUse(latest.code)}>
            Use this code
          </button>
        </div>
      ) : (
        <p className="muted">{unreachable ? "Mailbox not reachable." : "No code yet."}</p>
      )}
    </aside>
  );
}
