import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { close, guarded, listen, requestUrl } from "./net";

/**
 * "signup", "resend" and "forgot-password" are the codes this product sends;
 * the others exist so that no code the pool emits is ever dropped.
 */
export type MailKind =
  | "signup"
  | "resend"
  | "forgot-password"
  | "verify-attribute"
  | "temporary-password"
  | "mfa"
  | "sign-in";

export interface MailMessage {
  to: string;
  kind: MailKind;
  code: string;
  sentAt: string;
}

export interface MailboxOptions {
  /** Receives the one-line notice of each message; defaults to stdout. */
  log?: (line: string) => void;
  /** Stamps `sentAt`; the stack passes its local clock. */
  now?: () => Date;
}

/**
 * The local stand-in for the pool's email delivery. Kept in memory: the codes
 * are one-time secrets of the running session, a restarted stack can send a
 * fresh one (ResendConfirmationCode, ForgotPassword), and there is no second
 * file for the reset command to forget or for a crash to tear.
 */
export class Mailbox {
  private readonly messages = new Map<string, MailMessage[]>();
  private readonly log: (line: string) => void;
  private readonly now: () => Date;

  constructor(options: MailboxOptions = {}) {
    this.log = options.log ?? ((line) => process.stdout.write(`${line}\n`));
    this.now = options.now ?? (() => new Date());
  }

  record(message: { to: string; kind: MailKind; code: string }): MailMessage {
    const stored: MailMessage = { ...message, sentAt: this.now().toISOString() };
    const key = message.to.toLowerCase();
    const list = this.messages.get(key);
    if (list) list.push(stored);
    else this.messages.set(key, [stored]);
    this.log(`mailbox: ${message.kind} code for ${message.to}: ${message.code}`);
    return stored;
  }

  /** Oldest first; email addresses match case-insensitively. */
  messagesFor(email: string): MailMessage[] {
    return [...(this.messages.get(email.toLowerCase()) ?? [])];
  }

  /** The most recent message to an address, optionally of one kind. */
  latest(email: string, kind?: MailKind): MailMessage | undefined {
    return this.messagesFor(email)
      .filter((message) => kind === undefined || message.kind === kind)
      .at(-1);
  }
}

export interface MailboxServerOptions {
  port: number;
  host?: string;
  /** Value of Access-Control-Allow-Origin; the mailbox holds nothing but local test codes. */
  allowOrigin?: string;
}

export async function startMailboxServer(
  mailbox: Mailbox,
  { port, host = "127.0.0.1", allowOrigin = "*" }: MailboxServerOptions,
): Promise<{ url: string; stop(): Promise<void> }> {
  const send = (response: ServerResponse, status: number, body?: unknown) => {
    response.writeHead(status, {
      "Access-Control-Allow-Origin": allowOrigin,
      "Access-Control-Allow-Methods": "GET, OPTIONS",
      "Access-Control-Allow-Headers": "*",
      "Cache-Control": "no-store",
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    });
    response.end(body === undefined ? undefined : JSON.stringify(body));
  };

  const server = createServer(
    guarded(
      (request: IncomingMessage, response: ServerResponse) => {
        request.resume();
        if (request.method === "OPTIONS") return send(response, 204);
        if (request.method !== "GET") return send(response, 405, { message: "Method not allowed" });
        const url = requestUrl(request, "http://mailbox");
        if (!url) return send(response, 400, { message: "Malformed request target" });
        const path = url.pathname;
        const segments = path.split("/").filter(Boolean);
        if (segments.length !== 1 || segments[0] === undefined) {
          return send(response, 404, { message: "GET /<email address>" });
        }
        let email: string;
        try {
          email = decodeURIComponent(segments[0]);
        } catch {
          return send(response, 400, { message: "Malformed email address" });
        }
        send(response, 200, mailbox.messagesFor(email));
      },
      () => {},
    ),
  );

  const bound = await listen(server, port, host, "LOCAL_MAILBOX_PORT");
  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return {
    url: `http://${urlHost.includes(":") ? `[${urlHost}]` : urlHost}:${bound}`,
    stop: () => close(server),
  };
}
