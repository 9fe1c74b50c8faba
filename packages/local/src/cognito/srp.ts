import {
  createDiffieHellman,
  createHash,
  createHmac,
  type DiffieHellman,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";

/**
 * The server side of Cognito's SRP-6a variant (USER_SRP_AUTH → PASSWORD_VERIFIER):
 * the 3072-bit group of RFC 5054, g = 2, SHA-256 over "padded hex" (the
 * two's-complement bytes Java's BigInteger produces), a password hash salted
 * with the pool name and user id, and a 16-byte HKDF key ("Caldera Derived
 * Key") that signs poolName ‖ userId ‖ secretBlock ‖ timestamp.
 */
const N = BigInt(
  "0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);
const g = 2n;

/** The group every Cognito pool uses: RFC 5054's 3072-bit prime and its generator. */
export const srpGroup = { N, g } as const;

export function paddedHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return /^[89a-f]/.test(hex) ? `00${hex}` : hex;
}

function hashHex(hex: string): string {
  return createHash("sha256").update(Buffer.from(hex, "hex")).digest("hex");
}

function toBigInt(hex: string): bigint {
  if (!/^[0-9a-fA-F]+$/.test(hex)) throw new Error("Not a hex number");
  return BigInt(`0x${hex}`);
}

function toBytes(value: bigint): Buffer {
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 === 1 ? `0${hex}` : hex, "hex");
}

let exponentiator: DiffieHellman | undefined;

/**
 * base^exponent mod N through OpenSSL: a Diffie-Hellman context on N whose
 * private key is the exponent computes otherPublic^privateKey mod N in about
 * a sixth of the CPU BigInt square-and-multiply takes. The generator must stay
 * 2 (N's own): OpenSSL then recognises RFC 3526's group and skips the
 * seconds-long primality check it runs on unknown (p, g) pairs. OpenSSL
 * refuses the "public key" 0, 1 and N − 1, whose powers are trivial anyway.
 */
export function modPow(base: bigint, exponent: bigint): bigint {
  if (exponent < 0n) throw new RangeError("Negative exponent");
  const reduced = ((base % N) + N) % N;
  if (exponent === 0n) return 1n;
  if (reduced <= 1n) return reduced;
  if (reduced === N - 1n) return exponent % 2n === 0n ? 1n : reduced;
  exponentiator ??= createDiffieHellman(toBytes(N), toBytes(g));
  exponentiator.setPrivateKey(toBytes(exponent));
  return BigInt(`0x${exponentiator.computeSecret(toBytes(reduced)).toString("hex")}`);
}

const k = toBigInt(hashHex(paddedHex(N) + paddedHex(g)));

/** The pool id's part after "_", which Cognito mixes into the password hash and the signature. */
export function poolName(userPoolId: string): string {
  return userPoolId.split("_")[1] ?? "";
}

export interface SrpChallenge {
  salt: string;
  secretBlock: string;
  srpB: string;
  /** Server-side state, never sent: b, B and the verifier. */
  b: bigint;
  B: bigint;
  verifier: bigint;
}

/** Keys the derived salts and the verifier cache; fresh per process, so neither reveals a password. */
const processKey = randomBytes(32);
const keyed = (...parts: string[]) =>
  createHmac("sha256", processKey).update(JSON.stringify(parts)).digest();

const VERIFIER_CACHE_SIZE = 1000;
const verifiers = new Map<string, bigint>();

function verifier(pool: string, userId: string, password: string, salt: bigint): bigint {
  const cacheKey = keyed(pool, userId, password, salt.toString(16)).toString("base64");
  const cached = verifiers.get(cacheKey);
  if (cached !== undefined) return cached;
  const identity = createHash("sha256").update(`${pool}${userId}:${password}`).digest("hex");
  const x = toBigInt(hashHex(paddedHex(salt) + identity));
  const v = modPow(g, x);
  if (verifiers.size >= VERIFIER_CACHE_SIZE) {
    verifiers.delete(verifiers.keys().next().value as string);
  }
  verifiers.set(cacheKey, v);
  return v;
}

/** B for a verifier, with the fresh secret b behind it and a new secret block. */
function challengeFor(salt: bigint, v: bigint): SrpChallenge {
  for (;;) {
    const b = toBigInt(randomBytes(32).toString("hex"));
    const B = (k * v + modPow(g, b)) % N;
    if (B === 0n) continue;
    return {
      salt: salt.toString(16),
      secretBlock: randomBytes(64).toString("base64"),
      srpB: B.toString(16),
      b,
      B,
      verifier: v,
    };
  }
}

/**
 * What Cognito keeps of a password: a salt and the SRP verifier
 * g^H(salt ‖ H(pool ‖ userId ‖ ":" ‖ password)). A fresh random salt unless
 * one is given (hex).
 */
export function passwordVerifier(pool: string, userId: string, password: string, saltHex?: string) {
  const salt = toBigInt(saltHex ?? randomBytes(16).toString("hex"));
  return { salt: salt.toString(16), verifier: verifier(pool, userId, password, salt).toString(16) };
}

/** The PASSWORD_VERIFIER challenge for a stored salt and verifier (hex). */
export function challengeFromVerifier(saltHex: string, verifierHex: string): SrpChallenge {
  return challengeFor(toBigInt(saltHex), toBigInt(verifierHex));
}

/**
 * A challenge straight from a password, for callers that keep none (the
 * bench and the unit tests). The salt is derived from the pool, user and
 * password under a per-process key unless given (hex).
 */
export function createChallenge(
  pool: string,
  userId: string,
  password: string,
  saltHex?: string,
): SrpChallenge {
  const salt = toBigInt(
    saltHex ?? keyed("salt", pool, userId, password).subarray(0, 16).toString("hex"),
  );
  return challengeFor(salt, verifier(pool, userId, password, salt));
}

export interface PasswordClaim {
  srpA: string;
  timestamp: string;
  signature: string;
}

/** True when the client's signature proves it knows the password behind the verifier. */
export function verifyPasswordClaim(
  pool: string,
  userId: string,
  challenge: SrpChallenge,
  claim: PasswordClaim,
): boolean {
  let A: bigint;
  try {
    A = toBigInt(claim.srpA);
  } catch {
    return false;
  }
  if (A % N === 0n) return false;
  const u = toBigInt(hashHex(paddedHex(A) + paddedHex(challenge.B)));
  if (u === 0n) return false;
  const S = modPow(A * modPow(challenge.verifier, u), challenge.b);
  const key = Buffer.from(
    hkdfSync(
      "sha256",
      Buffer.from(paddedHex(S), "hex"),
      Buffer.from(paddedHex(u), "hex"),
      "Caldera Derived Key",
      16,
    ),
  );
  const expected = createHmac("sha256", key)
    .update(pool)
    .update(userId)
    .update(Buffer.from(challenge.secretBlock, "base64"))
    .update(claim.timestamp)
    .digest();
  const given = Buffer.from(claim.signature, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
