import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, relative, sep } from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { fileFor, NOT_FOUND_PAGE } from "./routing";

const TYPES: Record<string, string> = {
  ".html": "text/html;charset=UTF-8",
  ".js": "text/javascript;charset=UTF-8",
  ".css": "text/css;charset=UTF-8",
  ".json": "application/json;charset=UTF-8",
  ".svg": "image/svg+xml;charset=UTF-8",
  ".txt": "text/plain;charset=UTF-8",
};

/** SST's StaticSite defaults: HTML is revalidated on every visit, hashed assets cached for a year. */
const cacheControl = (file: string) =>
  file.endsWith(".html")
    ? "max-age=0,no-cache,no-store,must-revalidate"
    : "max-age=31536000,public,immutable";

export interface SiteResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function listFiles(dir: string): Set<string> {
  const files = new Set<string>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.add(`/${relative(dir, path).split(sep).join("/")}`);
    }
  };
  walk(dir);
  return files;
}

/**
 * Answers requests for a built site as it is deployed: the Router's choice of
 * file (site/routing.ts), S3's 404 for a missing one, SST's content types and
 * cache headers, CloudFront's compression (Brotli when the browser takes it,
 * else gzip, for text between 1,000 bytes and 10 MB) and `headers` on every
 * response.
 */
export function siteResponder(dir: string, headers: Readonly<Record<string, string>>) {
  const files = listFiles(dir);
  // Compressed once, up front: compressing per request would show up as server time.
  const compressed = new Map<string, { br: Buffer; gzip: Buffer }>();
  for (const key of files) {
    const body = readFileSync(join(dir, key));
    if (TYPES[extname(key)] && body.byteLength >= 1000 && body.byteLength <= 10_000_000) {
      compressed.set(key, { br: brotliCompressSync(body), gzip: gzipSync(body) });
    }
  }
  return (url: string, acceptEncoding = ""): SiteResponse => {
    const path = new URL(url, "http://site.invalid").pathname;
    const { key, found } = fileFor(files, path, NOT_FOUND_PAGE);
    if (!found) {
      return {
        status: 404,
        headers: { ...headers, "content-type": "application/xml" },
        body: Buffer.from(
          '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code></Error>',
        ),
      };
    }
    const response: Record<string, string> = {
      ...headers,
      "content-type": TYPES[extname(key)] ?? "application/octet-stream",
      "cache-control": cacheControl(key),
    };
    const file = decodeURIComponent(key);
    let body: Buffer = readFileSync(join(dir, file));
    const encoded = compressed.get(file);
    if (encoded) {
      const encoding = /\bbr\b/.test(acceptEncoding)
        ? "br"
        : /\bgzip\b/.test(acceptEncoding)
          ? "gzip"
          : undefined;
      if (encoding) {
        body = encoded[encoding];
        response["content-encoding"] = encoding;
      }
      response.vary = "accept-encoding";
    }
    return { status: 200, headers: response, body };
  };
}

/** A local HTTP server for a built site, answering as the deployed one does. */
export async function startSiteServer(options: {
  dir: string;
  headers: Readonly<Record<string, string>>;
  host?: string;
  port?: number;
}): Promise<{ url: string; close: () => Promise<void> }> {
  const respond = siteResponder(options.dir, options.headers);
  const server = createServer((request, response) => {
    const answer = respond(request.url ?? "/", String(request.headers["accept-encoding"] ?? ""));
    response.writeHead(answer.status, {
      ...answer.headers,
      "content-length": String(answer.body.byteLength),
    });
    response.end(request.method === "HEAD" ? undefined : answer.body);
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
