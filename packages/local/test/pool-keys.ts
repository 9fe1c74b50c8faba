import { createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { keysDirectory } from "../src/cognito/index";
import { keyFile } from "../src/cognito/keys";

/**
 * A local pool's private signing key, read from its data directory: tests
 * that forge tokens (to change one claim of an otherwise valid token) sign
 * with it. Nothing serves it over the network.
 */
export async function poolSigningKey(
  cognitoDataDir: string,
  poolId: string,
  kind: "id" | "access" = "id",
): Promise<{ kid: string; key: KeyObject }> {
  const stored = JSON.parse(await readFile(keyFile(keysDirectory(cognitoDataDir), poolId), "utf8"));
  const key = createPrivateKey(stored[kind] as string);
  const kid = createHash("sha256")
    .update(createPublicKey(key).export({ type: "spki", format: "der" }))
    .digest("base64");
  return { kid, key };
}

/** The same, for a whole local stack started by the test target. */
export function stackSigningKey(
  target: { local?: { config: { dataDir: string } }; userPoolId: string },
  kind: "id" | "access" = "id",
) {
  if (!target.local) throw new Error("Only a local stack's keys can be read");
  return poolSigningKey(join(target.local.config.dataDir, "cognito"), target.userPoolId, kind);
}
