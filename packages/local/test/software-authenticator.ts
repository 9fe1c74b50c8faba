/**
 * A software passkey authenticator, made to the WebAuthn spec (Level 3, §6) for tests: an ES256
 * key pair, `none` attestation, and the JSON a browser's `navigator.credentials` returns. It
 * signs whatever it is asked to, so tests can also make it lie (another origin, an old count).
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";
import { isoCBOR } from "@simplewebauthn/server/helpers";

const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();
const b64url = (data: Uint8Array) => Buffer.from(data).toString("base64url");

/** Authenticator data flags (§6.1): user present, user verified, attested credential data. */
const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

interface CreationOptions {
  challenge: string;
  rp: { id?: string };
}
interface RequestOptions {
  challenge: string;
  rpId?: string;
}

export interface SoftwarePasskey {
  id: string;
  privateKey: KeyObject;
  rpId: string;
  userHandle: string;
  signCount: number;
}

function counter(value: number) {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
}

function coseKey(publicKey: KeyObject) {
  const jwk = publicKey.export({ format: "jwk" });
  // COSE_Key (RFC 9053): kty EC2, alg ES256, crv P-256, x, y.
  return isoCBOR.encode(
    new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, new Uint8Array(Buffer.from(String(jwk.x), "base64url"))],
      [-3, new Uint8Array(Buffer.from(String(jwk.y), "base64url"))],
    ]),
  );
}

const clientData = (type: string, challenge: string, origin: string) =>
  Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));

export function softwareAuthenticator(origin = "http://localhost:5173") {
  return {
    /** navigator.credentials.create(): a new passkey and its registration response. */
    create(options: CreationOptions, overrides: { origin?: string; rpId?: string } = {}) {
      const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
      const rpId = overrides.rpId ?? options.rp.id ?? new URL(origin).hostname;
      const credentialId = randomBytes(16);
      const idLength = Buffer.alloc(2);
      idLength.writeUInt16BE(credentialId.length);
      const authData = Buffer.concat([
        sha256(rpId),
        Buffer.from([UP | UV | AT]),
        counter(0),
        Buffer.alloc(16), // AAGUID: none
        idLength,
        credentialId,
        Buffer.from(coseKey(publicKey)),
      ]);
      const attestationObject = isoCBOR.encode(
        new Map<string, unknown>([
          ["fmt", "none"],
          ["attStmt", new Map()],
          ["authData", new Uint8Array(authData)],
        ]) as never,
      );
      const passkey: SoftwarePasskey = {
        id: b64url(credentialId),
        privateKey,
        rpId,
        userHandle: "",
        signCount: 0,
      };
      const response = {
        id: passkey.id,
        rawId: passkey.id,
        type: "public-key",
        authenticatorAttachment: "platform",
        clientExtensionResults: {},
        response: {
          clientDataJSON: b64url(
            clientData("webauthn.create", options.challenge, overrides.origin ?? origin),
          ),
          attestationObject: b64url(attestationObject),
          transports: ["internal"],
        },
      };
      return { passkey, response };
    },

    /** navigator.credentials.get(): an assertion over the challenge with this passkey. */
    get(
      passkey: SoftwarePasskey,
      options: RequestOptions,
      overrides: { origin?: string; signCount?: number; signWith?: KeyObject } = {},
    ) {
      passkey.signCount = overrides.signCount ?? passkey.signCount + 1;
      const authData = Buffer.concat([
        sha256(options.rpId ?? passkey.rpId),
        Buffer.from([UP | UV]),
        counter(passkey.signCount),
      ]);
      const clientDataJSON = clientData(
        "webauthn.get",
        options.challenge,
        overrides.origin ?? origin,
      );
      const signature = sign(
        "sha256",
        Buffer.concat([authData, sha256(clientDataJSON)]),
        overrides.signWith ?? passkey.privateKey,
      );
      return {
        id: passkey.id,
        rawId: passkey.id,
        type: "public-key",
        authenticatorAttachment: "platform",
        clientExtensionResults: {},
        response: {
          clientDataJSON: b64url(clientDataJSON),
          authenticatorData: b64url(authData),
          signature: b64url(signature),
        },
      };
    },
  };
}
