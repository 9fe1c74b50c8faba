import { describeError } from "./errors";
import { EXIT, main } from "./reconcile-command";

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`users:reconcile: unexpected ${describeError(error)}\n`);
  return EXIT.error;
});
