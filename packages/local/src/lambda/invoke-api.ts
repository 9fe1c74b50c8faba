import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isSigned } from "../iam";
import { BodyTooLargeError, MAX_JSON_DEPTH, nestsDeeperThan, readBody, requestUrl } from "../net";
import type { InvokeResult } from "./runner";

/** A function as ListFunctions and GetFunctionConfiguration describe it. */
export interface FunctionConfiguration {
  FunctionName: string;
  FunctionArn: string;
  Runtime: string;
  Timeout: number;
  MemorySize: number;
  Version: "$LATEST";
}

/** Lambda's synchronous request payload limit. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/**
 * The Invoke API (`POST /2015-03-31/functions/{name}/invocations`) with the
 * errors Lambda documents for it: an unknown function is a 404
 * ResourceNotFoundException, a body that is not JSON a 400
 * InvalidRequestContentException, a payload over 6 MB a 413
 * RequestTooLargeException. A function error is a 200 with
 * `X-Amz-Function-Error: Unhandled`, as on AWS. Every call must be SigV4-signed
 * (403 MissingAuthenticationTokenException otherwise), and the signer allowed to
 * invoke the function (403 AccessDeniedException, see invoke-policy.ts).
 */
export async function serveInvoke(
  request: IncomingMessage,
  response: ServerResponse,
  service: {
    /** What ListFunctions reports for each function. */
    list: () => FunctionConfiguration[];
    has: (name: string) => boolean;
    invoke: (name: string, event: unknown) => Promise<InvokeResult>;
    arnOf: (name: string) => string;
    /** Null when the signed caller may invoke the function, else why not. */
    refusal: (request: IncomingMessage, name: string) => string | null;
    log: (line: string) => void;
  },
) {
  const url = requestUrl(request, "http://lambda");
  if (!url) {
    request.resume();
    return sendLambdaError(
      response,
      400,
      "InvalidRequestContentException",
      "User",
      "The request target is not a valid URL.",
    );
  }
  if (!isSigned(request)) {
    request.resume();
    return sendLambdaError(
      response,
      403,
      "MissingAuthenticationTokenException",
      "User",
      "Missing Authentication Token",
    );
  }
  if (request.method === "GET" && /^\/2015-03-31\/functions\/?$/.test(url.pathname)) {
    request.resume();
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ Functions: service.list() }));
    return;
  }
  const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(url.pathname);
  if (request.method !== "POST" || !match?.[1]) {
    request.resume();
    return sendLambdaError(response, 404, "UnknownOperationException", "User", "Unknown operation");
  }
  let requested: string;
  try {
    requested = decodeURIComponent(match[1]);
  } catch {
    request.resume();
    return sendLambdaError(
      response,
      400,
      "InvalidParameterValueException",
      "User",
      "The function name is not valid.",
    );
  }
  const { name, qualifier } = parseFunctionName(requested, url.searchParams.get("Qualifier"));
  if (!service.has(name) || (qualifier !== undefined && qualifier !== "$LATEST")) {
    request.resume();
    const arn = service.arnOf(name) + (qualifier ? `:${qualifier}` : "");
    return sendLambdaError(
      response,
      404,
      "ResourceNotFoundException",
      "User",
      `Function not found: ${arn}`,
    );
  }
  const refusal = service.refusal(request, name);
  if (refusal) {
    request.resume();
    return sendLambdaError(response, 403, "AccessDeniedException", "User", refusal);
  }
  const invocationType = headerValue(request, "x-amz-invocation-type") ?? "RequestResponse";
  if (!["RequestResponse", "Event", "DryRun"].includes(invocationType)) {
    request.resume();
    return sendLambdaError(
      response,
      400,
      "InvalidParameterValueException",
      "User",
      `Unsupported invocation type: ${invocationType}`,
    );
  }

  let body: Buffer;
  try {
    body = await readBody(request, MAX_PAYLOAD_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      return sendLambdaError(
        response,
        413,
        "RequestTooLargeException",
        "User",
        `Request must be smaller than ${MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation`,
      );
    }
    request.destroy();
    return;
  }
  let event: unknown = {};
  if (body.length) {
    try {
      event = JSON.parse(body.toString("utf8"));
    } catch (error) {
      return sendLambdaError(
        response,
        400,
        "InvalidRequestContentException",
        "User",
        `Could not parse request body into json: ${(error as Error).message}`,
      );
    }
    if (nestsDeeperThan(event, MAX_JSON_DEPTH)) {
      return sendLambdaError(
        response,
        400,
        "InvalidRequestContentException",
        "User",
        `Could not parse request body into json: it nests deeper than ${MAX_JSON_DEPTH} levels`,
      );
    }
  }

  const headers = { "x-amz-executed-version": "$LATEST", "x-amzn-requestid": randomUUID() };
  if (invocationType === "DryRun") {
    response.writeHead(204, headers).end();
    return;
  }
  if (invocationType === "Event") {
    response.writeHead(202, headers).end();
    void service.invoke(name, event).catch((error) => service.log(`${name}: ${String(error)}`));
    return;
  }
  const result = await service.invoke(name, event);
  response.writeHead(200, {
    ...headers,
    "content-type": "application/json",
    ...(result.ok ? {} : { "x-amz-function-error": "Unhandled" }),
  });
  response.end(JSON.stringify(result.ok ? result.payload : result.error));
}

/**
 * A function is named by its name, its ARN or a partial ARN
 * (`123456789012:function:name`), each optionally with `:qualifier`.
 */
function parseFunctionName(requested: string, queryQualifier: string | null) {
  const parts = requested.split(":");
  let name = requested;
  let qualifier: string | undefined;
  const functionIndex = parts.indexOf("function");
  if (functionIndex >= 0 && parts[functionIndex + 1]) {
    name = parts[functionIndex + 1] as string;
    qualifier = parts[functionIndex + 2];
  } else if (parts.length === 2) {
    [name, qualifier] = parts as [string, string];
  }
  return { name, qualifier: queryQualifier ?? qualifier };
}

function headerValue(request: IncomingMessage, name: string) {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Lambda's REST-JSON error: `x-amzn-ErrorType` names it, the body carries `Type` and `message`. */
export function sendLambdaError(
  response: ServerResponse,
  status: number,
  errorType: string,
  type: "User" | "Service",
  message: string,
) {
  response.writeHead(status, {
    "content-type": "application/json",
    "x-amzn-errortype": errorType,
    "x-amzn-requestid": randomUUID(),
    ...(status === 413 ? { connection: "close" } : {}),
  });
  response.end(JSON.stringify({ Type: type, message }));
}
