import { OUTPUTS_VARIABLE, runningStack, startStack } from "./local-stack";

/** Reuses a running local stack, or starts one for this run and stops it afterwards. */
export default async function globalSetup() {
  const running = await runningStack();
  if (running) {
    console.log(`Using the running local stack at ${running.webUrl}`);
    process.env[OUTPUTS_VARIABLE] = JSON.stringify(running);
    // A run killed mid-test skips its cleanup: start on real time with no failures queued.
    await Promise.all([
      fetch(`${running.controlUrl}/clock`, { method: "DELETE" }),
      fetch(`${running.controlUrl}/trigger-failures`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ count: 0 }),
      }),
    ]);
    return;
  }
  console.log("Starting the local stack (pnpm dev:local)...");
  const started = await startStack();
  console.log(`Local stack ready at ${started.outputs.webUrl}`);
  process.env[OUTPUTS_VARIABLE] = JSON.stringify(started.outputs);
  return async () => {
    await started.stop();
  };
}
