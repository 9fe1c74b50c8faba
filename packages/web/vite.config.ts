import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

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
  plugins: [react()],
  server: { port: 5173, strictPort: true },
  build: { target: "es2022" },
});
