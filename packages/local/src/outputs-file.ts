import { readFileSync, rmSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * What `.local/outputs.json` holds: what the app's `run()` returns (with local values, under
 * its own keys) beside how clients reach the local services.
 */
export interface LocalOutputs {
  /** The stack's process: a client can tell a live stack's file from one a killed stack left behind. */
  pid: number;
  region: string;
  /** The local user pool's API (when the app has a pool). */
  cognitoEndpoint?: string;
  dynamodbEndpoint: string;
  lambdaEndpoint: string;
  webUrl: string | null;
  mailboxUrl: string;
  /** The local-only control: clock and trigger failures (see control.ts). */
  controlUrl: string;
  /** Whatever else `run()` returned. */
  [output: string]: unknown;
}

/**
 * `.local/outputs.json`: written when the stack is ready, removed when it
 * stops or crashes. It names the stack's `pid`, so a file left by a stack
 * that was killed outright (SIGKILL, power loss) is recognisably stale.
 */

/** Whether a process with this id is running (EPERM: it is, but not ours to signal). */
export function isAlive(pid: unknown): boolean {
  if (typeof pid !== "number" || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function readOutputs(file: string): Promise<Partial<LocalOutputs> | null> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as Partial<LocalOutputs>;
  } catch {
    return null;
  }
}

/** The outputs of a running stack, or null when the file is missing, torn or left by a dead one. */
export async function readLiveOutputs(file: string): Promise<LocalOutputs | null> {
  const outputs = await readOutputs(file);
  return outputs && isAlive(outputs.pid) ? (outputs as LocalOutputs) : null;
}

/** Written whole, then renamed: a reader polling for the file never sees half of it. */
export async function writeOutputs(file: string, outputs: LocalOutputs) {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, `${JSON.stringify(outputs, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

export class StackRunningError extends Error {
  constructor(
    readonly pid: number,
    readonly file: string,
  ) {
    super(
      `Another local stack (pid ${pid}) is running and owns ${file}. Stop it, or give this one its own LOCAL_OUTPUTS_FILE and ports.`,
    );
    this.name = "StackRunningError";
  }
}

/**
 * Clears the way for a new stack: a file from a dead stack goes; one from a
 * stack that is still running (and answering) is an error, since this one
 * would overwrite what that stack's clients read.
 */
export async function replaceStaleOutputs(file: string) {
  const outputs = await readOutputs(file);
  if (outputs && outputs.pid !== process.pid && isAlive(outputs.pid)) {
    if (await answers(outputs.controlUrl)) {
      throw new StackRunningError(outputs.pid as number, file);
    }
  }
  await rm(file, { force: true });
}

/** Removes the file if this process wrote it; synchronous, so it works in an 'exit' handler. */
export function removeOwnOutputsSync(file: string) {
  try {
    const outputs = JSON.parse(readFileSync(file, "utf8")) as Partial<LocalOutputs>;
    if (outputs.pid === process.pid) rmSync(file, { force: true });
  } catch {
    // Missing or unreadable: nothing of ours to remove.
  }
}

async function answers(url: unknown) {
  if (typeof url !== "string") return false;
  try {
    await fetch(url, { signal: AbortSignal.timeout(1_000) });
    return true;
  } catch {
    return false;
  }
}
