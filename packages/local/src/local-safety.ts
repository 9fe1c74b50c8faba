/**
 * What keeps the local ports to this machine's developer: a page on another site can make
 * the browser send requests to 127.0.0.1, and DNS rebinding can make its own name resolve
 * there. So every port answers only requests addressed to a loopback name, and takes
 * cross-origin requests only from the origins it trusts (the local web app's).
 * docs/local-fidelity.md › Local safety gives the reasons for each rule.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

const LOOPBACK_NAMES = /^(?:localhost|(?:[a-z0-9-]+\.)+localhost|127\.0\.0\.1|\[::1\])$/i;

/** The name in a `Host` header (`[::1]:9229` → `[::1]`), or null when there is none. */
export function hostName(host: string | undefined): string | null {
  if (!host) return null;
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    const rest = host.slice(end + 1);
    return end < 0 || (rest !== "" && !/^:\d*$/.test(rest)) ? null : host.slice(0, end + 1);
  }
  return host.split(":")[0] || null;
}

/**
 * `localhost` and its subdomains (RFC 6761 reserves them for loopback, and browsers resolve
 * them there without asking DNS), `127.0.0.1` and `[::1]`, with any port.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  const name = hostName(host);
  return name !== null && LOOPBACK_NAMES.test(name);
}

/** The origins whose pages may read a port's answers: the local web app's, by any loopback name. */
export class TrustedOrigins {
  private readonly origins = new Set<string>();

  /** Trusts the page origin of `url` under each loopback name (a developer may open either). */
  add(url: string) {
    const { protocol, port } = new URL(url);
    for (const name of ["localhost", "127.0.0.1", "[::1]"]) {
      this.origins.add(`${protocol}//${name}${port ? `:${port}` : ""}`);
    }
  }

  allows(origin: string): boolean {
    return this.origins.has(origin.toLowerCase());
  }
}

export interface PortAccess {
  /** Who may call from a browser page: these origins, or "any" where the service's own CORS decides. */
  origins: TrustedOrigins | "any";
}

/** A refusal as a JSON error the AWS SDKs and curl users can both read. */
export function sendRefusal(
  response: ServerResponse,
  status: number,
  type: string,
  message: string,
) {
  const body = JSON.stringify({ __type: type, message });
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    "x-amzn-errortype": type,
    "cache-control": "no-store",
    connection: "close",
  });
  response.end(body);
}

/** Null when the request may go on; otherwise the refusal's type and message. */
export function refusalOf(
  request: Pick<IncomingMessage, "headers">,
  access: PortAccess,
): { type: string; message: string } | null {
  const { host, origin } = request.headers;
  if (!isLoopbackHost(host)) {
    return {
      type: "ForbiddenHostException",
      message: `The local stack answers only requests addressed to localhost, 127.0.0.1 or [::1]; this one was addressed to ${JSON.stringify(host ?? "")}.`,
    };
  }
  if (origin !== undefined && access.origins !== "any" && !access.origins.allows(origin)) {
    return {
      type: "ForbiddenOriginException",
      message: `Requests from pages on ${JSON.stringify(origin)} are refused: only the local web app's pages may call this port.`,
    };
  }
  return null;
}

/**
 * Puts the checks in front of everything the server answers, requests and WebSocket
 * upgrades alike, whatever listeners it has. A trusted origin gets
 * `Access-Control-Allow-Origin` (with `Vary: Origin`) on every answer.
 */
export function protectServer(server: Server, access: PortAccess) {
  const emit = server.emit.bind(server) as (event: string | symbol, ...args: unknown[]) => boolean;
  server.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event === "request") {
      const [request, response] = args as [IncomingMessage, ServerResponse];
      const refusal = refusalOf(request, access);
      if (refusal) {
        request.resume();
        sendRefusal(response, 403, refusal.type, refusal.message);
        return true;
      }
      if (request.headers.origin !== undefined && access.origins !== "any") {
        response.setHeader("access-control-allow-origin", request.headers.origin);
        response.setHeader("vary", "Origin");
      }
    } else if (event === "upgrade") {
      const [request, socket] = args as [IncomingMessage, Duplex];
      if (refusalOf(request, access)) {
        socket.end("HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
        return true;
      }
    }
    return emit(event, ...args);
  }) as typeof server.emit;
}
