import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { MAX_JSON_DEPTH, nestsDeeperThan, readBody } from "../net";
import { CognitoError } from "./errors";

/** Far above any user-pool request; keeps a runaway body out of memory. */
const MAX_REQUEST_BYTES = 1024 * 1024;

/**
 * Browsers call the pool directly (Amplify in the web app). Which pages may is decided in
 * front of the pool (local-safety.ts sets Access-Control-Allow-Origin for the trusted ones).
 */
const CORS = {
  "access-control-expose-headers": "x-amzn-requestid,x-amzn-errortype,x-amzn-errormessage,date",
};

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  type = "application/x-amz-json-1.1",
) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...CORS,
    "content-type": type,
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": randomUUID(),
  });
  response.end(text);
}

/** An error as the JSON 1.1 protocol carries it: `x-amzn-errortype`, `__type` and `message`. */
export function sendError(response: ServerResponse, error: CognitoError) {
  const text = JSON.stringify({ __type: error.type, message: error.message });
  response.writeHead(error.status, {
    ...CORS,
    "content-type": "application/x-amz-json-1.1",
    "content-length": Buffer.byteLength(text),
    "x-amzn-errortype": error.type,
    "x-amzn-requestid": randomUUID(),
  });
  response.end(text);
}

export function sendPreflight(request: IncomingMessage, response: ServerResponse) {
  response.writeHead(204, {
    ...CORS,
    "access-control-allow-methods": "POST, GET, OPTIONS",
    "access-control-allow-headers": request.headers["access-control-request-headers"] ?? "*",
    "access-control-max-age": "86400",
  });
  response.end();
}

/**
 * The operation (`X-Amz-Target: AWSCognitoIdentityProviderService.<Op>`) and
 * its JSON body; the local IAM gate may already have read and parsed it.
 */
export async function readCall(
  request: IncomingMessage,
): Promise<{ operation: string; body: Record<string, unknown> }> {
  const target = request.headers["x-amz-target"];
  const operation = /^AWSCognitoIdentityProviderService\.(\w+)$/.exec(String(target ?? ""))?.[1];
  if (!operation) {
    request.resume();
    throw new CognitoError(
      "UnknownOperationException",
      `Unknown operation ${String(target ?? "")}`,
    );
  }
  let parsed = (request as IncomingMessage & { body?: unknown }).body;
  if (parsed === undefined) {
    const raw = await readBody(request, MAX_REQUEST_BYTES);
    try {
      parsed = raw.length === 0 ? {} : JSON.parse(raw.toString("utf8"));
    } catch {
      throw new CognitoError("SerializationException", "The request body is not valid JSON.");
    }
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new CognitoError("SerializationException", "The request body must be a JSON object.");
  }
  if (nestsDeeperThan(parsed, MAX_JSON_DEPTH)) {
    throw new CognitoError(
      "SerializationException",
      `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`,
    );
  }
  return { operation, body: parsed as Record<string, unknown> };
}
