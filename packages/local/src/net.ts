import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

export class PortInUseError extends Error {
  constructor(
    public readonly port: number,
    public readonly variable: string,
  ) {
    super(`Port ${port} is already in use. Stop what uses it, or set ${variable} to another port.`);
    this.name = "PortInUseError";
  }
}

/** Listens and resolves with the bound port; a busy port names the variable that moves it. */
export function listen(server: Server, port: number, host: string, variable = "a port variable") {
  return new Promise<number>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      reject(error.code === "EADDRINUSE" ? new PortInUseError(port, variable) : error);
    };
    const onListening = () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, host);
  });
}

export function close(server: Server) {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The request body is larger than ${maxBytes} bytes.`);
    this.name = "BodyTooLargeError";
  }
}

/**
 * Reads a request body whole. Past `maxBytes` it stops keeping the bytes
 * (the rest is drained, so a reply can still be sent) and rejects; a client
 * that disconnects mid-body rejects too.
 */
export function readBody(request: IncomingMessage, maxBytes = Number.POSITIVE_INFINITY) {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onError);
      request.off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        request.resume();
        reject(new BodyTooLargeError(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      if (request.complete) return;
      cleanup();
      reject(
        Object.assign(new Error("The client closed the request mid-body."), { code: "ECONNRESET" }),
      );
    };
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("error", onError);
    request.on("close", onClose);
  });
}

type RequestListener = (request: IncomingMessage, response: ServerResponse) => unknown;

/**
 * A request listener that cannot take the process down: whatever it throws
 * or rejects with is reported, and the client gets `fallback` (by default a
 * bare JSON 500) if nothing was sent yet, else a closed connection.
 */
export function guarded(
  listener: RequestListener,
  report: (error: unknown) => void,
  fallback: (response: ServerResponse) => void = (response) => {
    response.writeHead(500, { "content-type": "application/json" });
    response.end(JSON.stringify({ message: "Internal Server Error" }));
  },
): RequestListener {
  return (request, response) => {
    const fail = (error: unknown) => {
      report(error);
      try {
        if (response.headersSent) response.destroy();
        else fallback(response);
      } catch {
        response.destroy();
      }
    };
    try {
      const result = listener(request, response);
      if (result instanceof Promise) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}

/** A request whose body was already read, readable once more (for a handler that reads it itself). */
export function replayRequest(request: IncomingMessage, body: Buffer): IncomingMessage {
  return Object.assign(Readable.from(body.length ? [body] : [], { objectMode: false }), {
    headers: request.headers,
    rawHeaders: request.rawHeaders,
    method: request.method,
    url: request.url,
    httpVersion: request.httpVersion,
    complete: true,
    socket: request.socket,
  }) as unknown as IncomingMessage;
}

/** The request's path, or null when its target is not a URL (e.g. `http://[`). */
export function requestUrl(request: IncomingMessage, base: string): URL | null {
  try {
    return new URL(request.url ?? "/", base);
  } catch {
    return null;
  }
}

/**
 * Whether parsed JSON nests deeper than `maxDepth` arrays and objects. JSON.parse takes any
 * depth, but what then walks the value recursively (JSON.stringify, structured clone into a
 * function's worker) overflows the stack, so the ports refuse such bodies up front.
 */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [next, depth] = pending.pop() as [unknown, number];
    if (typeof next !== "object" || next === null) continue;
    if (depth + 1 > maxDepth) return true;
    for (const child of Object.values(next)) {
      if (typeof child === "object" && child !== null) pending.push([child, depth + 1]);
    }
  }
  return false;
}

/** Deeper than any request the emulated services take, and far from a stack overflow. */
export const MAX_JSON_DEPTH = 1000;
