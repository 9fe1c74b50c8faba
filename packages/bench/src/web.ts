import { readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { benchDir, cacheDir, repoRoot } from "./paths";

export interface AppDownload {
  name: string;
  files: Array<{ file: string; bytes: number; gzipBytes: number }>;
  bytes: number;
  gzipBytes: number;
}

/**
 * What index.html makes the browser fetch before first render: module
 * scripts, modulepreloads and stylesheets. Gzip at zlib's default level (6),
 * what CDNs and servers commonly use.
 */
export function initialDownload(name: string, distDir: string): AppDownload {
  const html = readFileSync(join(distDir, "index.html"), "utf8");
  const refs = new Set<string>();
  for (const match of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) refs.add(match[1] as string);
  for (const match of html.matchAll(/<link[^>]*\brel="(?:stylesheet|modulepreload)"[^>]*>/g)) {
    const href = /\bhref="([^"]+)"/.exec(match[0])?.[1];
    if (href) refs.add(href);
  }
  const files = [...refs].map((ref) => {
    const contents = readFileSync(join(distDir, ref.replace(/^\//, "")));
    return { file: ref, bytes: contents.byteLength, gzipBytes: gzipSync(contents).byteLength };
  });
  return {
    name,
    files,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0),
  };
}

async function viteBuild(root: string, outDir: string, configFile: string | false) {
  const { build } = await import("vite");
  const plugins = configFile === false ? [(await import("@vitejs/plugin-react")).default()] : [];
  // Vite keeps an existing NODE_ENV (vitest sets "test"), which would ship React's dev build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
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
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

/** packages/web as `vite build` builds it (its own config), written to the bench's cache. */
export async function buildWebApp() {
  const outDir = join(cacheDir, "web-dist");
  await viteBuild(
    join(repoRoot, "packages/web"),
    outDir,
    join(repoRoot, "packages/web/vite.config.ts"),
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
