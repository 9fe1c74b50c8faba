// Sums what the first screen downloads from the production build: index.html
// (which carries the stylesheet inline), the script it names and the modules
// that script loads after the first paint (#root's data-modules), and fails
// above the budget. Run after `vite build`. packages/bench counts the same.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUDGET_GZIP_KB = 90;
const dist = new URL("../dist/", import.meta.url);
const html = readFileSync(new URL("index.html", dist), "utf8");
const assets = [
  "index.html",
  ...[...html.matchAll(/(?:src|href)="\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]),
  ...(/data-modules="([^"]*)"/.exec(html)?.[1] ?? "")
    .split(" ")
    .filter(Boolean)
    .map((m) => m.replace(/^\//, "")),
];

let raw = 0;
let gzip = 0;
for (const asset of new Set(assets)) {
  const bytes = readFileSync(new URL(asset, dist));
  const zipped = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gzip += zipped;
  console.log(
    `${asset.padEnd(40)} ${kb(bytes.length).padStart(9)} raw ${kb(zipped).padStart(9)} gzip`,
  );
}
console.log(
  `${"first screen (HTML, CSS, JS)".padEnd(40)} ${kb(raw).padStart(9)} raw ${kb(gzip).padStart(9)} gzip`,
);
if (gzip / 1000 > BUDGET_GZIP_KB) {
  console.error(`Over the ${BUDGET_GZIP_KB} kB gzip budget.`);
  process.exit(1);
}

function kb(bytes) {
  return `${(bytes / 1000).toFixed(2)} kB`;
}
