// Sums what a first visit downloads from the production build (the entry
// script, its preloaded chunks and the CSS that index.html references) and
// fails above the budget. Run after `vite build`.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUDGET_GZIP_KB = 115;
const dist = new URL("../dist/", import.meta.url);
const html = readFileSync(new URL("index.html", dist), "utf8");
const assets = [...html.matchAll(/(?:src|href)="\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]);

let raw = 0;
let gzip = 0;
for (const asset of assets) {
  const bytes = readFileSync(new URL(asset, dist));
  const zipped = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gzip += zipped;
  console.log(
    `${asset.padEnd(40)} ${kb(bytes.length).padStart(9)} raw ${kb(zipped).padStart(9)} gzip`,
  );
}
console.log(
  `${"initial download (JS + CSS)".padEnd(40)} ${kb(raw).padStart(9)} raw ${kb(gzip).padStart(9)} gzip`,
);
if (gzip / 1000 > BUDGET_GZIP_KB) {
  console.error(`Over the ${BUDGET_GZIP_KB} kB gzip budget.`);
  process.exit(1);
}

function kb(bytes) {
  return `${(bytes / 1000).toFixed(2)} kB`;
}
