/**
 * A user pool in a process of its own, for the crash test: the spec comes
 * as JSON in POOL_SPEC, the data directory in POOL_DATA_DIR; the Post
 * confirmation trigger returns the event. Prints `ready <endpoint>` once
 * serving, and each confirmation code it sends as `code <email> <code>`.
 */
import { startUserPools } from "../src/cognito/index";
import { Mailbox } from "../src/mailbox";
import type { UserPoolSpec } from "../src/spec";

const spec = JSON.parse(process.env.POOL_SPEC ?? "null") as UserPoolSpec;
const pools = await startUserPools({
  port: Number(process.env.POOL_PORT ?? 0),
  dataDir: process.env.POOL_DATA_DIR as string,
  region: spec.id.split("_")[0] as string,
  accountId: "000000000000",
  pools: [spec],
  invoke: async (_name, event) => ({ ok: true, payload: event }),
  mailbox: new Mailbox({
    log: (line) => {
      const match = /^mailbox: \S+ code for (\S+): (\d+)$/.exec(line);
      if (match) process.stdout.write(`code ${match[1]} ${match[2]}\n`);
    },
  }),
  log: () => {},
});
process.stdout.write(`ready ${pools.endpoint}\n`);
