import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { crc32 } from "node:zlib";
import { type AwsJsonError, isSigned, sendAwsJsonError } from "../iam";
import { BodyTooLargeError, guarded, MAX_JSON_DEPTH, nestsDeeperThan, readBody } from "../net";
import { isDynaliteError } from "./dynalite";

/** DynamoDB's largest request. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

export interface FrontOptions {
  region: string;
  serve(operation: string, body: unknown): Promise<unknown>;
  authorize?: (request: IncomingMessage, body: Buffer) => AwsJsonError | null;
  log?: (line: string) => void;
}

/** AWS request ids are 52 upper-case characters. */
const requestId = () => randomBytes(39).toString("base64").toUpperCase().replace(/[+/]/g, "0");

function send(response: ServerResponse, status: number, body: unknown, contentType: string) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(text),
    "x-amz-crc32": crc32(text),
    "x-amzn-requestid": requestId(),
  });
  response.end(text);
}

const coral = (type: string, message?: string) => ({
  __type: `com.amazon.coral.service#${type}`,
  ...(message ? { message } : {}),
});

/**
 * The HTTP side of the local DynamoDB, in DynamoDB's JSON 1.0 protocol and in the order dynalite
 * (after DynamoDB) checks a request: the body is read whole (so the local IAM check sees it, and
 * a client hanging up mid-body reaches nothing), then the method and content type, the JSON,
 * the target, the signature's presence; then the operation runs. Whatever an operation throws
 * that is not DynamoDB's own error is logged and answered as InternalServerError.
 */
export function dynamodbFront(options: FrontOptions) {
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    let raw: Buffer;
    try {
      raw = await readBody(request, MAX_REQUEST_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError)
        response.writeHead(413, { connection: "close" }).end();
      else request.destroy();
      return;
    }
    // Only a trusted origin gets this far (local-safety.ts), with its allow-origin header set.
    if (request.headers.origin) {
      if (request.method === "OPTIONS") {
        const headers = request.headers["access-control-request-headers"];
        const method = request.headers["access-control-request-method"];
        if (headers) response.setHeader("access-control-allow-headers", headers);
        if (method) response.setHeader("access-control-allow-methods", method);
        return response
          .writeHead(200, { "access-control-max-age": "172800", "content-length": 0 })
          .end();
      }
    }
    if (request.method === "GET") {
      return response
        .writeHead(200, { "content-type": "text/plain" })
        .end(`healthy: dynamodb.${options.region}.amazonaws.com `);
    }
    const contentType = (request.headers["content-type"] ?? "").split(";")[0]?.trim() ?? "";
    const json = contentType === "application/json" || contentType === "application/x-amz-json-1.0";
    if (request.method !== "POST" || (raw.length > 0 && !json)) {
      return response.writeHead(404).end("<UnknownOperationException/>\n");
    }
    const replyType =
      contentType === "application/x-amz-json-1.0" ? contentType : "application/json";
    const refusal = options.authorize?.(request, raw);
    if (refusal) return sendAwsJsonError(response, refusal);
    let body: unknown;
    try {
      body = raw.length ? JSON.parse(raw.toString("utf8")) : undefined;
    } catch {
      return send(response, 400, coral("SerializationException"), replyType);
    }
    if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
      const message = `The request nests deeper than ${MAX_JSON_DEPTH} levels.`;
      return send(response, 400, coral("SerializationException", message), replyType);
    }
    const target = request.headers["x-amz-target"];
    const operation = /^DynamoDB_20120810\.(\w+)$/.exec(
      typeof target === "string" ? target : "",
    )?.[1];
    if (!operation) {
      const named = typeof target === "string" && target ? `"${target}"` : "no X-Amz-Target";
      return send(
        response,
        400,
        coral(
          "UnknownOperationException",
          `${named}: DynamoDB operations are named DynamoDB_20120810.<Operation>`,
        ),
        replyType,
      );
    }
    if (!isSigned(request)) {
      return send(
        response,
        400,
        coral("MissingAuthenticationTokenException", "Request is missing Authentication Token"),
        replyType,
      );
    }
    if (body === undefined) return send(response, 400, coral("SerializationException"), replyType);
    try {
      send(response, 200, await options.serve(operation, body), replyType);
    } catch (error) {
      if (!isDynaliteError(error)) throw error;
      send(response, error.statusCode, error.body, replyType);
    }
  };
  return guarded(
    handle,
    (error) => options.log?.(`dynamodb: request failed: ${String(error)}`),
    (response) =>
      send(
        response,
        500,
        {
          __type: "com.amazonaws.dynamodb.v20120810#InternalServerError",
          message: "Internal server error",
        },
        "application/x-amz-json-1.0",
      ),
  );
}
