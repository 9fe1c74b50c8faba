import type { IncomingMessage } from "node:http";

/** What the gateway read from a client's request, in the forms the events are built from. */
export interface GatewayRequest {
  method: string;
  /** The path, percent-decoded: what API Gateway routes on and hands over as `rawPath`. */
  path: string;
  rawQueryString: string;
  /** Every header line in order, names lower-cased. */
  headers: [string, string][];
  /** Every query parameter in order, decoded. */
  query: [string, string][];
  body: Buffer;
  protocol: string;
  sourceIp: string;
  requestId: string;
  time: Date;
}

/** Raw header lines as name-value pairs, names lower-cased (Node keeps only one of some repeats). */
export function headerPairs(request: IncomingMessage): [string, string][] {
  const pairs: [string, string][] = [];
  const raw = request.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    pairs.push([(raw[i] as string).toLowerCase(), raw[i + 1] as string]);
  }
  return pairs;
}

/** Every value of one name, in order. */
export function valuesOf(pairs: readonly [string, string][], name: string): string[] {
  return pairs.filter(([key]) => key === name).map(([, value]) => value);
}

/**
 * Name-value pairs as one object, a repeated name's values joined with commas, as API
 * Gateway joins them. A Map first, so that names such as `__proto__` are plain keys.
 */
export function joinRepeated(pairs: Iterable<[string, string]>): Record<string, string> {
  const joined = new Map<string, string>();
  for (const [name, value] of pairs) {
    const previous = joined.get(name);
    joined.set(name, previous === undefined ? value : `${previous},${value}`);
  }
  return Object.fromEntries(joined);
}

/** Every value of each name as a list (payload 1.0's multi-value fields). */
export function groupRepeated(pairs: Iterable<[string, string]>): Record<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of pairs) grouped.set(name, [...(grouped.get(name) ?? []), value]);
  return Object.fromEntries(grouped);
}

/**
 * The path percent-decoded. An escape that is not valid UTF-8 stays as it was sent (AWS does
 * not document that case).
 */
export function decodePath(pathname: string): string {
  return pathname.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** `requestContext.time` as API Gateway writes it: `12/Mar/2020:19:03:58 +0000`. */
export function requestTime(date: Date): string {
  // toUTCString() is "Thu, 12 Mar 2020 19:03:58 GMT", day zero-padded.
  const [, day, month, year, time] = date.toUTCString().split(" ");
  return `${day}/${month}/${year}:${time} +0000`;
}

/** A body as payloads carry it: text when it is valid UTF-8, otherwise base64. */
export function bodyFields(body: Buffer): { body?: string; isBase64Encoded: boolean } {
  if (!body.length) return { isBase64Encoded: false };
  const text = body.toString("utf8");
  return Buffer.from(text, "utf8").equals(body)
    ? { body: text, isBase64Encoded: false }
    : { body: body.toString("base64"), isBase64Encoded: true };
}
