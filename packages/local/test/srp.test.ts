import { createHash, createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  createChallenge,
  modPow,
  poolName,
  type SrpChallenge,
  srpGroup,
  verifyPasswordClaim,
} from "../src/cognito/srp";

/*
 * An SRP client written apart from the server, from Cognito's published
 * client behaviour (plain BigInt math, a hand-rolled HKDF), so that a
 * mistake shared by both sides is unlikely. Amplify v6's own client is the
 * second oracle, in cognito-srp.test.ts.
 */
const RFC5054_3072 = BigInt(
  `0x${[
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05",
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB",
    "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718",
    "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33",
    "A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864",
    "D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2",
    "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
  ].join("")}`,
);

function referenceModPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let square = ((base % modulus) + modulus) % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * square) % modulus;
    square = (square * square) % modulus;
  }
  return result;
}

/** Big-endian two's-complement bytes of a positive number, as Java's BigInteger.toByteArray gives. */
function signedBytes(value: bigint): Buffer {
  const hex = value.toString(16);
  const bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex");
  return (bytes[0] ?? 0) >= 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

const sha256 = (...parts: (Buffer | string)[]) => {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest();
};
const fromBytes = (bytes: Buffer) => BigInt(`0x${bytes.toString("hex")}`);

class Client {
  readonly a = fromBytes(randomBytes(32));
  readonly A: bigint;
  constructor(readonly N = RFC5054_3072) {
    this.A = referenceModPow(2n, this.a, N);
  }

  claim(
    pool: string,
    userId: string,
    password: string,
    challenge: Pick<SrpChallenge, "salt" | "srpB" | "secretBlock">,
    timestamp = "Tue Jan 6 09:04:05 UTC 2026",
  ) {
    const { N, a, A } = this;
    const B = BigInt(`0x${challenge.srpB}`);
    const k = fromBytes(sha256(signedBytes(N), signedBytes(2n)));
    const u = fromBytes(sha256(signedBytes(A), signedBytes(B)));
    const inner = sha256(`${pool}${userId}:${password}`);
    const x = fromBytes(sha256(signedBytes(BigInt(`0x${challenge.salt}`)), inner));
    const base = (((B - k * referenceModPow(2n, x, N)) % N) + N) % N;
    const S = referenceModPow(base, a + u * x, N);
    // HKDF-SHA256 (RFC 5869), one block: salt = u, input key = S.
    const prk = createHmac("sha256", signedBytes(u)).update(signedBytes(S)).digest();
    const key = createHmac("sha256", prk)
      .update("Caldera Derived Key")
      .update(Buffer.from([1]))
      .digest()
      .subarray(0, 16);
    const signature = createHmac("sha256", key)
      .update(pool)
      .update(userId)
      .update(Buffer.from(challenge.secretBlock, "base64"))
      .update(timestamp)
      .digest("base64");
    return { srpA: A.toString(16), timestamp, signature };
  }
}

const POOL = poolName("eu-west-3_Xy7Pq2Lm9");
const USER = "6b0e4f5e-2d3c-4b8a-9f1e-0c7d2a4b6e81";
const PASSWORD = "Correct-Horse-9";

describe("the SRP group", () => {
  it("is RFC 5054's 3072-bit group with generator 2, and the pool name is the id after the region", () => {
    expect(srpGroup.N).toBe(RFC5054_3072);
    expect(srpGroup.g).toBe(2n);
    expect(POOL).toBe("Xy7Pq2Lm9");
  });
});

describe("modPow (OpenSSL) against square-and-multiply", () => {
  const N = RFC5054_3072;
  const random = (bytes: number) => fromBytes(randomBytes(bytes));
  const cases: [string, bigint, bigint][] = [
    ["generator, 256-bit exponent", 2n, random(32)],
    ["generator, 1024-bit exponent", 2n, random(128)],
    ["random base, 256-bit exponent", random(384) % N, random(32)],
    ["random base, 512-bit exponent", random(384) % N, random(64)],
    ["base above N", N + random(16), random(32)],
    ["small base", 3n, random(32)],
    ["exponent 1", random(384) % N, 1n],
    ["exponent 0", random(384) % N, 0n],
    ["base 0", 0n, random(32)],
    ["base N (≡ 0)", N, random(32)],
    ["base 1", 1n, random(32)],
    ["base N + 1 (≡ 1)", N + 1n, random(32)],
    ["base N − 1, even exponent", N - 1n, 2n * random(32)],
    ["base N − 1, odd exponent", N - 1n, 2n * random(32) + 1n],
    ["base N − 2", N - 2n, random(32)],
    ["negative base", -random(32), random(32)],
  ];
  it.each(cases)("%s", (_name, base, exponent) => {
    expect(modPow(base, exponent)).toBe(referenceModPow(base, exponent, N));
  });

  it("agrees on many random bases (quadratic residues and non-residues alike)", () => {
    for (let i = 0; i < 40; i++) {
      const base = random(384) % N;
      const exponent = random(1 + (i % 48));
      expect(modPow(base, exponent)).toBe(referenceModPow(base, exponent, N));
    }
  });

  it("refuses a negative exponent", () => {
    expect(() => modPow(2n, -1n)).toThrow(RangeError);
  });
});

describe("createChallenge and verifyPasswordClaim, against an independent client", () => {
  it("accepts the claim of a client that knows the password", () => {
    const client = new Client();
    const challenge = createChallenge(POOL, USER, PASSWORD);
    const claim = client.claim(POOL, USER, PASSWORD, challenge);
    expect(verifyPasswordClaim(POOL, USER, challenge, claim)).toBe(true);
  });

  it("accepts a claim over a challenge with a salt and B that need a leading zero byte", () => {
    // Padding bugs show only when a number's top bit is set; try until both B and the salt have it.
    const client = new Client();
    let challenge = createChallenge(POOL, USER, PASSWORD);
    for (let i = 0; !/^[89a-f]/.test(challenge.srpB) || challenge.srpB.length % 2; i++) {
      if (i > 200) throw new Error("No challenge with a high-bit B");
      challenge = createChallenge(POOL, USER, PASSWORD);
    }
    const highSalt = `f${"3".repeat(31)}`;
    const salted = createChallenge(POOL, USER, PASSWORD, highSalt);
    expect(salted.salt).toBe(highSalt);
    for (const c of [challenge, salted]) {
      expect(verifyPasswordClaim(POOL, USER, c, client.claim(POOL, USER, PASSWORD, c))).toBe(true);
    }
  });

  it("refuses a wrong password, another user, another pool, and a changed timestamp or block", () => {
    const client = new Client();
    const challenge = createChallenge(POOL, USER, PASSWORD);
    const good = client.claim(POOL, USER, PASSWORD, challenge);
    expect(
      verifyPasswordClaim(
        POOL,
        USER,
        challenge,
        client.claim(POOL, USER, `${PASSWORD}x`, challenge),
      ),
    ).toBe(false);
    expect(
      verifyPasswordClaim(
        POOL,
        USER,
        challenge,
        client.claim(POOL, "someone-else", PASSWORD, challenge),
      ),
    ).toBe(false);
    expect(verifyPasswordClaim("OtherPool", USER, challenge, good)).toBe(false);
    expect(
      verifyPasswordClaim(POOL, USER, challenge, { ...good, timestamp: `${good.timestamp} ` }),
    ).toBe(false);
    const otherBlock = { ...challenge, secretBlock: randomBytes(64).toString("base64") };
    expect(verifyPasswordClaim(POOL, USER, otherBlock, good)).toBe(false);
    expect(verifyPasswordClaim(POOL, USER, challenge, { ...good, signature: "" })).toBe(false);
    expect(verifyPasswordClaim(POOL, USER, challenge, good)).toBe(true);
  });

  it("refuses an A that is 0 mod N or not hex, which would make S predictable", () => {
    const challenge = createChallenge(POOL, USER, PASSWORD);
    const claim = new Client().claim(POOL, USER, PASSWORD, challenge);
    const N = RFC5054_3072;
    for (const srpA of ["0", N.toString(16), (2n * N).toString(16), "xyz", ""]) {
      expect(verifyPasswordClaim(POOL, USER, challenge, { ...claim, srpA })).toBe(false);
    }
  });

  it("sends a B in (0, N) and a fresh B and secret block per challenge", () => {
    const first = createChallenge(POOL, USER, PASSWORD);
    const second = createChallenge(POOL, USER, PASSWORD);
    for (const c of [first, second]) {
      expect(c.srpB).toBe(c.B.toString(16));
      expect(c.B > 0n && c.B < RFC5054_3072).toBe(true);
      expect(Buffer.from(c.secretBlock, "base64")).toHaveLength(64);
    }
    expect(second.srpB).not.toBe(first.srpB);
    expect(second.secretBlock).not.toBe(first.secretBlock);
  });

  it("keeps a user's salt while the password stays, and changes it with the password or user", () => {
    const salt = createChallenge(POOL, USER, PASSWORD).salt;
    expect(salt).toMatch(/^[0-9a-f]+$/);
    expect(BigInt(`0x${salt}`)).toBeGreaterThan(0n);
    expect(createChallenge(POOL, USER, PASSWORD).salt).toBe(salt);
    expect(createChallenge(POOL, USER, "Another-Passw0rd").salt).not.toBe(salt);
    expect(createChallenge(POOL, "another-user", PASSWORD).salt).not.toBe(salt);
    expect(createChallenge("OtherPool", USER, PASSWORD).salt).not.toBe(salt);
  });
});
