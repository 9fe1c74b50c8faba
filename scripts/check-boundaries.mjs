// `pnpm check` runs this: each package is reached only through the entries it declares.
// - No relative import crosses into another package (or from infra/ into packages/).
// - `@userprofile/<name>/<entry>` must be one of that package's `exports`.
// - A package's product code (src/) imports only workspace packages it lists in
//   `dependencies`; test code may also use `devDependencies`.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

const root = process.cwd();
const SCOPE = "@userprofile/";
const files = execFileSync(
  "git",
  ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
  {
    encoding: "utf8",
  },
)
  .split("\0")
  .filter((file) => /\.(m?ts|tsx)$/.test(file) && !file.includes("/fixtures/") && existsSync(file));

/** Who owns a file: `packages/<name>`, or "." for the root program (sst.config.ts, infra/, scripts/). */
const ownerOf = (file) => {
  const match = /^packages\/([^/]+)\//.exec(file);
  return match ? `packages/${match[1]}` : ".";
};

const manifests = new Map();
const manifestOf = (owner) => {
  if (!manifests.has(owner)) {
    manifests.set(owner, JSON.parse(readFileSync(join(owner, "package.json"), "utf8")));
  }
  return manifests.get(owner);
};

const packageDirs = new Map(
  execFileSync("git", ["ls-files", "packages/*/package.json"], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean)
    .map((file) => [JSON.parse(readFileSync(file, "utf8")).name, dirname(file)]),
);

function exportsAllow(manifest, entry) {
  const exported = Object.keys(manifest.exports ?? {});
  return exported.some((key) => {
    if (!key.includes("*")) return key === entry;
    const [before, after] = key.split("*");
    return entry.startsWith(before) && entry.endsWith(after) && entry.length > key.length - 1;
  });
}

const IMPORT =
  /(?:import|export)\s[^"';]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|import\s+["']([^"']+)["']/g;
const problems = [];

for (const file of files) {
  const owner = ownerOf(file);
  const isProduct = owner !== "." && file.startsWith(`${owner}/src/`);
  const source = readFileSync(file, "utf8");
  for (const match of source.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (specifier.startsWith(".")) {
      const target = normalize(join(dirname(file), specifier));
      const targetOwner = ownerOf(`${relative(root, join(root, target))}/`);
      if (targetOwner !== owner) {
        problems.push(
          `${file}: "${specifier}" reaches into ${targetOwner}; import its package entry`,
        );
      }
      continue;
    }
    if (!specifier.startsWith(SCOPE)) continue;
    const [scope, name, ...rest] = specifier.split("/");
    const packageName = `${scope}/${name}`;
    const dir = packageDirs.get(packageName);
    if (!dir) {
      problems.push(`${file}: "${specifier}" names no workspace package`);
      continue;
    }
    const entry = rest.length ? `./${rest.join("/")}` : ".";
    if (!exportsAllow(manifestOf(dir), entry)) {
      problems.push(`${file}: "${specifier}" is not an entry ${packageName} exports`);
    }
    if (dir === owner) continue;
    const manifest = manifestOf(owner);
    const listed = isProduct
      ? manifest.dependencies?.[packageName]
      : (manifest.dependencies?.[packageName] ?? manifest.devDependencies?.[packageName]);
    if (!listed) {
      problems.push(
        `${file}: imports ${packageName}, which ${owner === "." ? "the root" : owner} does not list in ${isProduct ? "dependencies" : "dependencies or devDependencies"}`,
      );
    }
  }
}

if (problems.length) {
  console.error(`Package boundaries crossed (${problems.length}):\n- ${problems.join("\n- ")}`);
  process.exit(1);
}
console.log(`Package boundaries hold (${files.length} files).`);
