import { Amplify } from "@aws-amplify/core";
import { cognitoUserPoolsTokenProvider } from "aws-amplify/auth/cognito";
import { defaultStorage } from "aws-amplify/utils";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app";
import { amplifyConfig, readConfig } from "./config";
import "./styles.css";

const root = createRoot(document.getElementById("root") as HTMLElement);
const result = readConfig(import.meta.env);

if (result.ok) {
  const resources = amplifyConfig(result.config);
  // Wiring the token provider ourselves keeps the identity-pool credentials
  // provider (unused: there is no identity pool) out of the bundle.
  cognitoUserPoolsTokenProvider.setAuthConfig(resources.Auth);
  cognitoUserPoolsTokenProvider.setKeyValueStorage(defaultStorage);
  Amplify.configure(resources, { Auth: { tokenProvider: cognitoUserPoolsTokenProvider } });
  root.render(
    <StrictMode>
      <App config={result.config} />
    </StrictMode>,
  );
} else {
  root.render(
    <main className="layout">
      <section className="card">
        <h1>Not configured</h1>
        <p role="alert">
          Missing settings: {result.missing.join(", ")}. Run the app through{" "}
          <code>pnpm dev:local</code>, <code>sst dev</code> or an SST deploy, which set them.
        </p>
      </section>
    </main>,
  );
}
