import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { LocalClock } from "./clock";
import type { TriggerFailures } from "./cognito/trigger-failures";
import { protectServer, TrustedOrigins } from "./local-safety";
import { close, listen, requestUrl } from "./net";

/**
 * The local stack's test control, which AWS has no equivalent of: move the
 * clock forward (codes and tokens expire as if time had passed) and make the
 * next Post Confirmation trigger invocations fail. Bound to 127.0.0.1 only.
 *
 *   GET    /clock             → { offsetSeconds, now }
 *   POST   /clock             { advanceSeconds: number ≥ 0 } → { offsetSeconds, now }
 *   DELETE /clock             → back to real time → { offsetSeconds: 0, now }
 *   GET    /trigger-failures  → { remaining }
 *   POST   /trigger-failures  { count: integer 0..100 } → { remaining }
 *
 * Bad requests get 400 { error: { code, message } }, unknown paths 404,
 * other methods 405, a body that is not `application/json` 415 (a page on
 * another site can send text/plain without asking first; JSON needs a
 * preflight, which this port never grants).
 */
export interface ControlServerOptions {
  /** 0 picks a free port. */
  port: number;
  clock: LocalClock;
  triggerFailures: TriggerFailures;
}

const MAX_BODY_BYTES = 4096;
const MAX_TRIGGER_FAILURES = 100;
/** About a century: far beyond any code or token lifetime, and well inside what a Date holds. */
const MAX_OFFSET_SECONDS = 100 * 366 * 86_400;

class ControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function readJsonObject(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new ControlError(
        400,
        "body_too_large",
        `The body must be at most ${MAX_BODY_BYTES} bytes.`,
      );
    }
    chunks.push(chunk as Buffer);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new ControlError(400, "invalid_json", "The body must be a JSON object.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ControlError(400, "invalid_json", "The body must be a JSON object.");
  }
  return body as Record<string, unknown>;
}

/** The one field a body may have; anything else is refused. */
function onlyField(body: Record<string, unknown>, name: string): unknown {
  const unknown = Object.keys(body).filter((key) => key !== name);
  if (unknown.length > 0) {
    throw new ControlError(
      400,
      "unknown_field",
      `Unknown field "${unknown[0]}"; expected only "${name}".`,
    );
  }
  if (!(name in body)) throw new ControlError(400, "missing_field", `The body needs "${name}".`);
  return body[name];
}

export async function startControlServer(
  options: ControlServerOptions,
): Promise<{ url: string; stop(): Promise<void> }> {
  const { clock, triggerFailures } = options;
  const clockState = () => ({ offsetSeconds: clock.offsetSeconds, now: clock.now().toISOString() });

  const routes: Record<string, Record<string, (request: IncomingMessage) => Promise<unknown>>> = {
    "/clock": {
      GET: async () => clockState(),
      POST: async (request) => {
        const seconds = onlyField(await readJsonObject(request), "advanceSeconds");
        if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) {
          throw new ControlError(
            400,
            "invalid_value",
            '"advanceSeconds" must be a number of seconds ≥ 0; the clock only moves forward.',
          );
        }
        if (clock.offsetSeconds + seconds > MAX_OFFSET_SECONDS) {
          throw new ControlError(
            400,
            "invalid_value",
            `The clock can be at most ${MAX_OFFSET_SECONDS} seconds ahead.`,
          );
        }
        clock.advance(seconds);
        return clockState();
      },
      DELETE: async () => {
        clock.reset();
        return clockState();
      },
    },
    "/trigger-failures": {
      GET: async () => ({ remaining: triggerFailures.remaining }),
      POST: async (request) => {
        const count = onlyField(await readJsonObject(request), "count");
        if (
          typeof count !== "number" ||
          !Number.isInteger(count) ||
          count < 0 ||
          count > MAX_TRIGGER_FAILURES
        ) {
          throw new ControlError(
            400,
            "invalid_value",
            `"count" must be a whole number from 0 to ${MAX_TRIGGER_FAILURES}.`,
          );
        }
        triggerFailures.set(count);
        return { remaining: triggerFailures.remaining };
      },
    },
  };

  const send = (response: ServerResponse, status: number, body: unknown, headers = {}) => {
    response.writeHead(status, {
      "Content-Type": "application/json",
      "Cache-Control": "no-store",
      ...headers,
    });
    response.end(JSON.stringify(body));
  };

  const server = createServer((request, response) => {
    const handle = async () => {
      const url = requestUrl(request, "http://control");
      if (!url) throw new ControlError(400, "bad_request", "The request target is not a URL.");
      const path = url.pathname.replace(/\/+$/, "");
      const methods = routes[path];
      if (!methods) {
        throw new ControlError(404, "not_found", `No such control: ${path || "/"}.`);
      }
      const handler = methods[request.method ?? ""];
      if (!handler) {
        const allow = Object.keys(methods).join(", ");
        response.setHeader("Allow", allow);
        throw new ControlError(405, "method_not_allowed", `${path} answers ${allow}.`);
      }
      if (request.method === "POST" && mediaType(request) !== "application/json") {
        request.resume();
        throw new ControlError(
          415,
          "unsupported_media_type",
          "The body must be JSON, sent with content-type: application/json.",
        );
      }
      send(response, 200, await handler(request));
    };
    handle().catch((error: unknown) => {
      if (response.headersSent) return;
      if (error instanceof ControlError) {
        send(response, error.status, { error: { code: error.code, message: error.message } });
      } else {
        send(response, 500, { error: { code: "internal", message: "The control failed." } });
      }
    });
  });

  protectServer(server, { origins: new TrustedOrigins() });
  const port = await listen(server, options.port, "127.0.0.1", "LOCAL_CONTROL_PORT");
  return { url: `http://127.0.0.1:${port}`, stop: () => close(server) };
}

function mediaType(request: IncomingMessage) {
  return (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
}
