import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

export type TokenKind = "id" | "access";

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

/** The file that holds a pool's private keys (mode 0600, never served). */
export const keyFile = (keysDir: string, poolId: string) => join(keysDir, `${poolId}.json`);

function kidOf(publicKey: KeyObject) {
  return createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("base64");
}

function toSigningKey(privatePem: string): SigningKey {
  const privateKey = createPrivateKey(privatePem);
  const publicKey = createPublicKey(privateKey);
  const kid = kidOf(publicKey);
  const { e, n } = publicKey.export({ format: "jwk" });
  return {
    kid,
    privateKey,
    publicKey,
    publicJwk: { alg: "RS256", e, kid, kty: "RSA", n, use: "sig" },
  };
}

const base64url = (value: Buffer | string) => Buffer.from(value).toString("base64url");

/**
 * A pool's two RSA signing keys, as Cognito has them: ID tokens and access
 * tokens are signed with different keys, both published in the pool's JWKS.
 * Generated when the pool is created and kept beside its data, so tokens
 * stay valid across restarts; no two pools (or clones) share a key.
 */
export class PoolKeys {
  private constructor(private readonly keys: Record<TokenKind, SigningKey>) {}

  static async load(keysDir: string, poolId: string): Promise<PoolKeys> {
    const file = keyFile(keysDir, poolId);
    let stored: Record<TokenKind, string> | undefined;
    try {
      stored = JSON.parse(await readFile(file, "utf8")) as Record<TokenKind, string>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    if (!stored?.id || !stored.access) {
      const pem = () =>
        generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
          type: "pkcs8",
          format: "pem",
        }) as string;
      stored = { id: pem(), access: pem() };
      await mkdir(keysDir, { recursive: true, mode: 0o700 });
      await writeFile(`${file}.tmp`, JSON.stringify(stored), { mode: 0o600 });
      await rename(`${file}.tmp`, file);
      await chmod(file, 0o600);
    }
    return new PoolKeys({ id: toSigningKey(stored.id), access: toSigningKey(stored.access) });
  }

  jwks() {
    return { keys: [this.keys.id.publicJwk, this.keys.access.publicJwk] };
  }

  sign(kind: TokenKind, payload: Record<string, unknown>): string {
    const key = this.keys[kind];
    const header = base64url(JSON.stringify({ kid: key.kid, alg: "RS256" }));
    const body = base64url(JSON.stringify(payload));
    const signature = sign("sha256", Buffer.from(`${header}.${body}`), key.privateKey);
    return `${header}.${body}.${base64url(signature)}`;
  }

  /** The claims of a token this pool signed with the key for `kind`, or undefined. */
  verify(kind: TokenKind, token: unknown): Record<string, unknown> | undefined {
    if (typeof token !== "string") return undefined;
    const [header, body, signature, ...rest] = token.split(".");
    if (!header || !body || !signature || rest.length > 0) return undefined;
    try {
      const { kid, alg } = JSON.parse(Buffer.from(header, "base64url").toString("utf8"));
      const key = this.keys[kind];
      if (kid !== key.kid || alg !== "RS256") return undefined;
      const valid = verify(
        "sha256",
        Buffer.from(`${header}.${body}`),
        key.publicKey,
        Buffer.from(signature, "base64url"),
      );
      if (!valid) return undefined;
      const claims: unknown = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
      return typeof claims === "object" && claims !== null && !Array.isArray(claims)
        ? (claims as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  }
}
