/**
 * Amplify's passkey management calls: only the passkeys screen imports them,
 * so they load with its chunk, after Amplify itself (./amplify) is configured.
 */
export {
  associateWebAuthnCredential,
  deleteWebAuthnCredential,
  listWebAuthnCredentials,
} from "aws-amplify/auth";
