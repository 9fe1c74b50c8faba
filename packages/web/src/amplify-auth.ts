import { Amplify } from "@aws-amplify/core";
import { cognitoUserPoolsTokenProvider } from "aws-amplify/auth/cognito";
import { defaultStorage } from "aws-amplify/utils";
import { type AppConfig, amplifyConfig } from "./config";

export {
  autoSignIn,
  confirmResetPassword,
  confirmSignIn,
  confirmSignUp,
  confirmUserAttribute,
  fetchAuthSession,
  fetchMFAPreference,
  resendSignUpCode,
  resetPassword,
  sendUserAttributeVerificationCode,
  signIn,
  signOut,
  signUp,
  updatePassword,
  updateUserAttribute,
} from "aws-amplify/auth";
export { cognitoUserPoolsTokenProvider } from "aws-amplify/auth/cognito";
export { Hub } from "aws-amplify/utils";

/** Configures Amplify with only the user-pool token provider (no identity pool). */
export function configure(config: AppConfig) {
  const resources = amplifyConfig(config);
  // Wiring the token provider ourselves keeps the identity-pool credentials
  // provider (unused: there is no identity pool) out of the bundle.
  cognitoUserPoolsTokenProvider.setAuthConfig(resources.Auth);
  cognitoUserPoolsTokenProvider.setKeyValueStorage(defaultStorage);
  Amplify.configure(resources, { Auth: { tokenProvider: cognitoUserPoolsTokenProvider } });
}
