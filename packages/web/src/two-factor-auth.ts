/**
 * Amplify's TOTP set-up calls: only the two-factor screen imports them, so
 * they load with its chunk, after Amplify itself (./amplify) is configured.
 */
export { setUpTOTP, updateMFAPreference, verifyTOTPSetup } from "aws-amplify/auth";

/**
 * The otpauth:// URI authenticator apps read from the QR code (Google's Key
 * Uri Format), with the issuer and account name escaped: Amplify's own
 * getSetupUri leaves spaces and other characters as they are.
 */
export function totpSetupUri(issuer: string, account: string, secret: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  return `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(issuer)}`;
}
