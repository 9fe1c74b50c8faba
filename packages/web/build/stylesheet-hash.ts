import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { STYLESHEET, STYLESHEET_HASH, styleHash } from "../site/style";

/** Rewrites site/stylesheet-hash.ts after a change to the stylesheet. */
const root = new URL("../", import.meta.url);
const hash = styleHash(readFileSync(fileURLToPath(new URL(STYLESHEET, root)), "utf8"));
const file = fileURLToPath(new URL("site/stylesheet-hash.ts", root));
const source = readFileSync(file, "utf8");
writeFileSync(file, source.replace(STYLESHEET_HASH, hash));
console.log(hash === STYLESHEET_HASH ? `Up to date: ${hash}` : `Updated to ${hash}`);
