import { readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { benchDir, cacheDir, repoRoot } from "./paths";

export interface AppDownload {
  name: string;
  /** Where the build is, for the bench to serve it. */
  dir: string;
  files: Array<{ file: string; bytes: number; gzipBytes: number }>;
  bytes: number;
  gzipBytes: number;
}

/**
 * What the first screen downloads to be painted and to work: index.html itself
 * (which carries packages/web's stylesheet inline), the scripts, stylesheets
 * and modulepreloads it names, and the modules its boot script loads after the
 * first paint (#root's data-modules: the app and the screen's chunk). Gzip at
 * zlib's default level (6), what CDNs and servers commonly use.
 */
export function initialDownload(name: string, distDir: string): AppDownload {
  const html = readFileSync(join(distDir, "index.html"), "utf8");
  const refs = new Set<string>(["/index.html"]);
  for (const match of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) refs.add(match[1] as string);
  for (const match of html.matchAll(/<link[^>]*\brel="(?:stylesheet|modulepreload)"[^>]*>/g)) {
    const href = /\bhref="([^"]+)"/.exec(match[0])?.[1];
    if (href) refs.add(href);
  }
  for (const module of /\bdata-modules="([^"]*)"/.exec(html)?.[1]?.split(" ") ?? []) {
    if (module) refs.add(module);
  }
  const files = [...refs].map((ref) => {
    const contents = readFileSync(join(distDir, ref.replace(/^\//, "")));
    return { file: ref, bytes: contents.byteLength, gzipBytes: gzipSync(contents).byteLength };
  });
  return {
    name,
    dir: distDir,
    files,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0),
  };
}

/**
 * The settings packages/web is built with for the bench: a stage's shape
 * (the first screen is the real one, not "Not configured"), pointing nowhere.
 */
export const benchWebEnvironment = {
  VITE_REGION: "us-east-1",
  VITE_USER_POOL_ID: "us-east-1_Bench0000",
  VITE_USER_POOL_CLIENT_ID: "bench0000client0000client00",
  VITE_API_URL: "https://api.bench.invalid",
};

async function viteBuild(
  root: string,
  outDir: string,
  configFile: string | false,
  env: Record<string, string> = {},
) {
  const { build } = await import("vite");
  const plugins = configFile === false ? [(await import("@vitejs/plugin-react")).default()] : [];
  // Vite keeps an existing NODE_ENV (vitest sets "test"), which would ship React's dev build.
  const saved = Object.fromEntries(
    ["NODE_ENV", ...Object.keys(env)].map((name) => [name, process.env[name]]),
  );
  Object.assign(process.env, env, { NODE_ENV: "production" });
  try {
    await build({
      root,
      configFile,
      mode: "production",
      logLevel: "silent",
      plugins,
      build: { outDir, emptyOutDir: true, ...(configFile === false ? { target: "es2022" } : {}) },
    });
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** packages/web as `vite build` builds it (its own config), written to the bench's cache. */
export async function buildWebApp(outDir = join(cacheDir, "web-dist")) {
  await viteBuild(
    join(repoRoot, "packages/web"),
    outDir,
    join(repoRoot, "packages/web/vite.config.ts"),
    benchWebEnvironment,
  );
  return initialDownload("packages/web", outDir);
}

const BASELINE_MAIN = `import { Authenticator } from "@aws-amplify/ui-react";
import "@aws-amplify/ui-react/styles.css";
import { Amplify } from "aws-amplify";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

Amplify.configure({
  Auth: {
    Cognito: {
      userPoolId: import.meta.env.VITE_USER_POOL_ID ?? "us-east-1_placeholder",
      userPoolClientId: import.meta.env.VITE_USER_POOL_CLIENT_ID ?? "placeholder",
      loginWith: { email: true },
    },
  },
});

createRoot(document.getElementById("root")).render(
  <StrictMode>
    <Authenticator loginMechanisms={["email"]} signUpAttributes={["given_name", "family_name"]}>
      {({ signOut, user }) => (
        <main>
          <h1>Hello {user?.signInDetails?.loginId}</h1>
          <button type="button" onClick={signOut}>Sign out</button>
        </main>
      )}
    </Authenticator>
  </StrictMode>,
);
`;

/**
 * The baseline: the same sign-up/sign-in/confirm/reset flows done the
 * documented Amplify way, with the `<Authenticator>` UI component. Generated
 * and built on the fly under the bench's cache so it resolves the bench's
 * devDependencies; never committed.
 */
export async function buildAuthenticatorBaseline() {
  const root = join(benchDir, ".cache/authenticator-app");
  await rm(root, { recursive: true, force: true });
  await mkdir(join(root, "src"), { recursive: true });
  await writeFile(
    join(root, "index.html"),
    `<!doctype html><html lang="en"><head><meta charset="UTF-8" /><title>Authenticator baseline</title></head><body><div id="root"></div><script type="module" src="/src/main.jsx"></script></body></html>\n`,
  );
  await writeFile(join(root, "src/main.jsx"), BASELINE_MAIN);
  const outDir = join(root, "dist");
  await viteBuild(root, outDir, false);
  return initialDownload("Authenticator baseline", outDir);
}
