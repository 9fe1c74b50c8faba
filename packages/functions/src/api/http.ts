import type { Account } from "@userprofile/core/account";
import { VisibleError } from "@userprofile/core/error";
import { errorFields, log } from "@userprofile/core/log";
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
} from "aws-lambda";

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2 & { statusCode: number };

export const MAX_BODY_BYTES = 4 * 1024;

const STATUS: Record<VisibleError["kind"], number> = {
  input: 400,
  auth: 401,
  "not-found": 404,
};

export function json(statusCode: number, body?: unknown): ApiResult {
  if (body === undefined) return { statusCode };
  return {
    statusCode,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  };
}

/**
 * Wraps a route: the caller comes from the claims API Gateway verified; a
 * VisibleError becomes its status with `{ error: { code, message } }`; any
 * other error is logged and answered with a generic 500.
 */
export function route(
  handle: (caller: Account.Caller, event: ApiEvent) => Promise<ApiResult>,
): (event: ApiEvent) => Promise<ApiResult> {
  return async (event) => {
    try {
      return await handle(callerOf(event), event);
    } catch (error) {
      if (error instanceof VisibleError) {
        return json(STATUS[error.kind], { error: { code: error.code, message: error.message } });
      }
      log.error("request failed", {
        route: event.routeKey,
        requestId: event.requestContext?.requestId,
        ...errorFields(error),
      });
      return json(500, {
        error: { code: "internal_error", message: "Something went wrong. Please try again." },
      });
    }
  };
}

function callerOf(event: ApiEvent): Account.Caller {
  const claims = event.requestContext?.authorizer?.jwt?.claims ?? {};
  const userId = claims.sub;
  if (typeof userId !== "string" || userId === "") {
    throw new VisibleError("auth", "unauthorized", "A valid token is required.");
  }
  const username = claims["cognito:username"] ?? claims.username ?? userId;
  return { userId, username: String(username) };
}

/**
 * `application/json` or a `+json` type (`application/merge-patch+json`), with
 * optional parameters; a charset, if given, must be UTF-8 (RFC 8259 §8.1).
 * Not `application/json-seq` and the like, which are other formats.
 */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.!#$&^+-]+\+)?json$/i;

function isJsonContentType(contentType: string): boolean {
  const [mediaType = "", ...parameters] = contentType.split(";");
  if (!JSON_MEDIA_TYPE.test(mediaType.trim())) return false;
  return parameters.every((parameter) => {
    const [name = "", value = ""] = parameter.split("=");
    if (name.trim().toLowerCase() !== "charset") return true;
    return /^"?utf-?8"?$/i.test(value.trim());
  });
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Parses a UTF-8 JSON body no larger than MAX_BODY_BYTES. */
export function jsonBody(event: ApiEvent): unknown {
  if (!event.body) {
    throw new VisibleError("input", "missing_body", "A JSON body is required.");
  }
  const raw = event.isBase64Encoded ? Buffer.from(event.body, "base64") : Buffer.from(event.body);
  if (raw.byteLength > MAX_BODY_BYTES) {
    throw new VisibleError(
      "input",
      "body_too_large",
      `The body must be at most ${MAX_BODY_BYTES} bytes.`,
    );
  }
  const contentType = Object.entries(event.headers ?? {}).find(
    ([name]) => name.toLowerCase() === "content-type",
  )?.[1];
  if (contentType && !isJsonContentType(contentType)) {
    throw new VisibleError(
      "input",
      "unsupported_media_type",
      "Send the body as application/json (UTF-8).",
    );
  }
  let text: string;
  try {
    // Fatal: invalid bytes are an error, not silently turned into U+FFFD.
    text = utf8.decode(raw);
  } catch {
    throw new VisibleError("input", "invalid_encoding", "The body is not valid UTF-8.");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new VisibleError("input", "invalid_json", "The body is not valid JSON.");
  }
}
