import { runningStack, startStack } from "./local-stack";

/** Reuses a running local stack, or starts one for this run and stops it afterwards. */
export default async function globalSetup() {
  const running = await runningStack();
  if (running) {
    console.log(`Using the running local stack at ${running.webUrl}`);
    return;
  }
  console.log("Starting the local stack (pnpm dev:local)...");
  const started = await startStack();
  console.log(`Local stack ready at ${started.outputs.webUrl}`);
  return async () => {
    await started.stop();
  };
}
