import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { prerender } from "./build/prerender";
import { inlineStylesheet } from "./build/stylesheet";

// The local stack (`pnpm dev:local`) points the app at its emulated user pool and mailbox
// through these variables, beside the VITE_ settings sst.config.ts gives the site.
const local = {
  VITE_COGNITO_ENDPOINT: process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER,
  VITE_MAILBOX_URL: process.env.LOCAL_MAILBOX_URL,
};
for (const [name, value] of Object.entries(local)) {
  if (value && !process.env[name]) process.env[name] = value;
}

export default defineConfig({
  plugins: [react(), inlineStylesheet(), prerender()],
  server: { port: 5173, strictPort: true },
  build: {
    target: "es2022",
    // Every browser that runs this app supports modulepreload.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      // index.html loads only src/boot.ts, which imports the app (an entry of its own) after the first paint.
      input: {
        index: fileURLToPath(new URL("index.html", import.meta.url)),
        app: fileURLToPath(new URL("src/main.tsx", import.meta.url)),
      },
    },
  },
});
