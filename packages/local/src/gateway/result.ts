import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import { type Cors, withoutCors } from "./cors";

/**
 * How API Gateway turns a function's result into the client's response
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html#http-api-develop-integrations-lambda.response).
 */

/** A JSON answer of the gateway's own (`{"message": …}`), with the headers given. */
export function sendJson(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: unknown,
) {
  response.writeHead(status, { ...headers, "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

export const internalError = (response: ServerResponse, headers: Record<string, string>) =>
  sendJson(response, 500, headers, { message: "Internal Server Error" });

interface StructuredResult {
  statusCode?: unknown;
  headers?: Record<string, unknown>;
  multiValueHeaders?: Record<string, unknown[]>;
  cookies?: unknown[];
  body?: unknown;
  isBase64Encoded?: boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const validStatus = (status: unknown): status is number =>
  Number.isInteger(status) && (status as number) >= 100 && (status as number) <= 599;

/**
 * A result's headers by lower-cased name. Both fields merge into one list per name, a value
 * given in both only once (REST API's documented rule, which 1.0 results follow:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html).
 */
function mergedHeaders(
  single: Record<string, unknown>,
  multi: Record<string, unknown>,
): Map<string, string[]> {
  const merged = new Map<string, string[]>();
  const add = (name: string, value: unknown) => {
    const values = merged.get(name.toLowerCase()) ?? [];
    if (!values.includes(String(value))) values.push(String(value));
    merged.set(name.toLowerCase(), values);
  };
  for (const [name, values] of Object.entries(multi)) {
    for (const value of Array.isArray(values) ? values : [values]) add(name, value);
  }
  for (const [name, value] of Object.entries(single)) add(name, value);
  return merged;
}

function writeStructured(
  response: ServerResponse,
  result: StructuredResult,
  version: "1.0" | "2.0",
  cors: Cors | undefined,
  corsHeaders: Record<string, string>,
) {
  if (!validStatus(result.statusCode)) return internalError(response, corsHeaders);
  // 1.0 results may also list multiValueHeaders; 2.0 results have cookies instead.
  const own = mergedHeaders(
    isRecord(result.headers) ? result.headers : {},
    version === "1.0" && isRecord(result.multiValueHeaders) ? result.multiValueHeaders : {},
  );
  const headers: OutgoingHttpHeaders = {
    ...corsHeaders,
    ...Object.fromEntries(withoutCors(cors, own)),
  };
  if (version === "2.0" && Array.isArray(result.cookies) && result.cookies.length) {
    headers["set-cookie"] = result.cookies.map(String);
  }
  const body =
    typeof result.body === "string"
      ? Buffer.from(result.body, result.isBase64Encoded === true ? "base64" : "utf8")
      : undefined;
  try {
    response.writeHead(result.statusCode, headers);
  } catch {
    // A header name or value that HTTP cannot carry: the response is malformed.
    return internalError(response, corsHeaders);
  }
  response.end(body);
}

/**
 * Payload 2.0: a result with `statusCode` gives the status, headers, cookies (each a
 * `set-cookie` header) and body; any other value is the body of a 200 JSON answer, a
 * string as it is and anything else as JSON.
 */
export function writeResultV2(
  response: ServerResponse,
  payload: unknown,
  cors: Cors | undefined,
  corsHeaders: Record<string, string>,
) {
  if (isRecord(payload) && "statusCode" in payload) {
    return writeStructured(response, payload as StructuredResult, "2.0", cors, corsHeaders);
  }
  response.writeHead(200, { ...corsHeaders, "content-type": "application/json" });
  response.end(typeof payload === "string" ? payload : JSON.stringify(payload));
}

/** Payload 1.0: only a result with a valid `statusCode` is a response; anything else a 500. */
export function writeResultV1(
  response: ServerResponse,
  payload: unknown,
  cors: Cors | undefined,
  corsHeaders: Record<string, string>,
) {
  if (!isRecord(payload)) return internalError(response, corsHeaders);
  writeStructured(response, payload as StructuredResult, "1.0", cors, corsHeaders);
}
