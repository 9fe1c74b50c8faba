/**
 * The page the deployed site answers a path with no file of its own with,
 * with status 200 (infra/web.ts gives it to StaticSite as `indexPage`): every
 * route has its own page, so that is the not-found screen.
 */
export const NOT_FOUND_PAGE = "404.html";

/**
 * Which file the deployed site answers a path with, and whether it exists.
 * This is what SST 4.17.1's Router does for a StaticSite without `errorPage`
 * (its CloudFront function's `routeSite`, reading the keys StaticSite
 * writes): a file, or the path plus `.html` or `/index.html`; else, under a
 * top-level folder such as `/assets`, that key as it is, so S3 answers 404
 * for a missing one; else the site's `indexPage`, with 200.
 * infra/test/web.test.ts checks it against SST's own function.
 */
export function fileFor(
  files: ReadonlySet<string>,
  uri: string,
  indexPage: string,
): { key: string; found: boolean } {
  const decoded = decode(uri);
  for (const suffix of decoded.endsWith("/") ? ["index.html"] : ["", ".html", "/index.html"]) {
    if (files.has(decoded + suffix)) return { key: uri + suffix, found: true };
  }
  if (topLevelFolders(files).some((folder) => uri.startsWith(folder))) {
    let key = uri;
    if (key.endsWith("/")) key += "index.html";
    else if (!key.split("/").pop()?.includes(".")) key += "/index.html";
    return { key, found: files.has(decode(key)) };
  }
  const fallback = `/${indexPage.replace(/^\//, "")}`;
  return { key: fallback, found: files.has(fallback) };
}

/** StaticSite serves every top-level folder straight from S3 (`.well-known` is listed file by file). */
function topLevelFolders(files: ReadonlySet<string>): string[] {
  const folders = new Set<string>();
  for (const file of files) {
    const [, first, ...rest] = file.split("/");
    if (first && rest.length > 0 && first !== ".well-known") folders.add(`/${first}`);
  }
  return [...folders];
}

/** S3 looks keys up decoded; a malformed escape stays as it is. */
function decode(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}
