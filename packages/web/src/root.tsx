import { StrictMode } from "react";
import { App, type AppProps } from "./app";
import type { ConfigResult } from "./config";

/** The whole page: the app, or what is missing when it was built without its settings. */
export function Root({ config, ...props }: Omit<AppProps, "config"> & { config: ConfigResult }) {
  return (
    <StrictMode>
      {config.ok ? (
        <App config={config.config} {...props} />
      ) : (
        <NotConfigured missing={config.missing} />
      )}
    </StrictMode>
  );
}

function NotConfigured({ missing }: { missing: string[] }) {
  return (
    <main className="layout">
      <section className="card">
        <h1>Not configured</h1>
        <p role="alert">
          Missing settings: {missing.join(", ")}. Run the app through <code>pnpm dev:local</code>,{" "}
          <code>sst dev</code> or an SST deploy, which set them.
        </p>
      </section>
    </main>
  );
}
