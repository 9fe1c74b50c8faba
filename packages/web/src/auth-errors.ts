/** What a person can do about an error, offered next to its message. */
export type ErrorAction =
  | "confirm"
  | "retry"
  | "resend-code"
  | "sign-in"
  | "sign-up"
  | "forgot-password";

export interface FriendlyError {
  message: string;
  action?: ErrorAction;
}

export type AuthStep =
  | "sign-up"
  | "confirm-sign-up"
  | "resend-code"
  | "sign-in"
  | "forgot-password"
  | "reset-password"
  | "session"
  | "change-password"
  | "change-email"
  | "verify-email"
  | "sign-in-code"
  | "sign-in-totp"
  | "passkey-sign-in"
  | "two-factor"
  | "two-factor-setup"
  | "passkeys";

const NETWORK: FriendlyError = {
  message: "Can't reach the sign-in service. Check your connection and try again.",
  action: "retry",
};

/** Cognito's throttles and lockouts: an immediate retry would only extend them. */
const TOO_MANY: FriendlyError = {
  message: "Too many attempts. Wait a few minutes, then try again.",
};

const GENERIC: FriendlyError = {
  message: "Something went wrong. Please try again.",
  action: "retry",
};

/** Error names from Cognito and from Amplify's own validation, by the step that raised them. */
const BY_NAME: Record<string, FriendlyError | Partial<Record<AuthStep, FriendlyError>>> = {
  UsernameExistsException: {
    message: "An account with this email already exists. Sign in instead.",
    action: "sign-in",
  },
  AliasExistsException: {
    message: "An account with this email already exists. Sign in instead.",
    action: "sign-in",
  },
  InvalidPasswordException: {
    message: "This password is too weak: it must meet every rule listed.",
  },
  CodeMismatchException: {
    message: "That code isn't right. Check it and try again, or send a new code.",
    action: "resend-code",
  },
  ExpiredCodeException: {
    message: "That code has expired. Send a new code and use the latest one.",
    action: "resend-code",
  },
  TooManyFailedAttemptsException: TOO_MANY,
  LimitExceededException: TOO_MANY,
  TooManyRequestsException: TOO_MANY,
  CodeDeliveryFailureException: {
    message: "We couldn't send the code. Check the email address and try again.",
  },
  UserNotConfirmedException: {
    message: "This email isn't confirmed yet. Enter the code we sent you to finish signing up.",
    action: "confirm",
  },
  NotAuthorizedException: {
    "sign-in": { message: "Incorrect email or password." },
    "confirm-sign-up": {
      message: "This account is already confirmed. Sign in instead.",
      action: "sign-in",
    },
    "resend-code": {
      message: "This account is already confirmed. Sign in instead.",
      action: "sign-in",
    },
    "forgot-password": {
      message: "This account can't reset its password yet. Confirm your email first.",
      action: "confirm",
    },
    session: { message: "Your session has expired. Please sign in again." },
  },
  UserNotFoundException: {
    "sign-in": { message: "Incorrect email or password." },
    "forgot-password": {
      message: "There's no account with this email. Check it, or sign up.",
      action: "sign-up",
    },
    "reset-password": {
      message: "There's no account with this email. Check it, or sign up.",
      action: "sign-up",
    },
    "confirm-sign-up": {
      message: "There's no account with this email. Check it, or sign up.",
      action: "sign-up",
    },
    "resend-code": {
      message: "There's no account with this email. Check it, or sign up.",
      action: "sign-up",
    },
  },
  PasswordResetRequiredException: {
    message: "You need to reset your password before signing in.",
    action: "forgot-password",
  },
  InvalidParameterException: {
    "forgot-password": {
      message: "This email isn't verified yet, so the password can't be reset. Confirm it first.",
      action: "confirm",
    },
    "resend-code": { message: "This account is already confirmed. Sign in instead." },
  },
  UserUnAuthenticatedException: {
    message: "Your session has expired. Please sign in again.",
    action: "sign-in",
  },
  EmptySignUpUsername: { message: "Enter your email." },
  EmptySignInUsername: { message: "Enter your email." },
  EmptyResetPasswordUsername: { message: "Enter your email." },
  EmptyConfirmSignUpUsername: { message: "Enter your email." },
  EmptyConfirmResetPasswordUsername: { message: "Enter your email." },
  EmptySignUpPassword: { message: "Enter a password." },
  EmptySignInPassword: { message: "Enter your password." },
  EmptyConfirmResetPasswordNewPassword: { message: "Enter a new password." },
  EmptyConfirmSignUpCode: { message: "Enter the confirmation code." },
  EmptyConfirmResetPasswordConfirmationCode: { message: "Enter the confirmation code." },
  NetworkError: NETWORK,
};

const SESSION_ENDED: FriendlyError = {
  message: "Your session has expired. Please sign in again.",
  action: "sign-in",
};

const SIGN_IN_CODE_EXPIRED: FriendlyError = {
  message: "That code has expired. Send a new code and use the latest one.",
  action: "resend-code",
};

const PASSKEY_FAILED: FriendlyError = {
  message:
    "That passkey didn't sign you in: it may have been removed from your account. Choose another way to sign in.",
};

/**
 * What an error means at one step, where the same name says something else
 * than elsewhere (NotAuthorizedException is the wrong current password when
 * changing it, an expired sign-in session after an emailed code).
 */
const BY_STEP: Partial<Record<AuthStep, Record<string, FriendlyError>>> = {
  "sign-in-code": {
    // The sign-in session the code belongs to lasts minutes; after that the code can't be used.
    NotAuthorizedException: SIGN_IN_CODE_EXPIRED,
    ExpiredCodeException: SIGN_IN_CODE_EXPIRED,
  },
  "sign-in-totp": {
    CodeMismatchException: {
      message:
        "That code isn't right, or was already used. Enter the next code your authenticator app shows.",
    },
    EnableSoftwareTokenMFAException: {
      message:
        "That code isn't right, or was already used. Enter the next code your authenticator app shows.",
    },
    NotAuthorizedException: {
      message: "This sign-in took too long. Start again.",
      action: "sign-in",
    },
  },
  "two-factor-setup": {
    CodeMismatchException: {
      message:
        "That code isn't right. Check the time on your device, then enter the code the app shows now.",
    },
    EnableSoftwareTokenMFAException: {
      message:
        "That code isn't right. Check the time on your device, then enter the code the app shows now.",
    },
    // The secret was replaced (a set-up started elsewhere) or the set-up session ended.
    NotAuthorizedException: {
      message:
        "This set-up is no longer valid: it was restarted elsewhere. Open this page again to start over.",
    },
  },
  passkeys: {
    PasskeyRegistrationCanceled: { message: "Adding the passkey was canceled. Nothing changed." },
    PasskeyOperationAborted: { message: "Adding the passkey was canceled. Nothing changed." },
    PasskeyAlreadyExists: { message: "This device already has a passkey for your account." },
    PasskeyNotSupported: { message: "This browser can't create passkeys." },
    WebAuthnNotEnabledException: { message: "Passkeys aren't enabled for this app." },
    WebAuthnCredentialNotSupportedException: {
      message: "This passkey isn't supported. Try another device or browser.",
    },
    ResourceNotFoundException: {
      message: "That passkey was already removed. The list now shows what your account has.",
    },
  },
  "passkey-sign-in": {
    NotAuthorizedException: PASSKEY_FAILED,
    PasskeyRetrievalFailed: PASSKEY_FAILED,
    PasskeyAuthenticationCanceled: {
      message: "Signing in with a passkey was canceled. Try again, or choose another way.",
    },
    PasskeyOperationAborted: {
      message: "Signing in with a passkey was canceled. Try again, or choose another way.",
    },
    PasskeyNotSupported: {
      message: "This browser can't use passkeys. Choose another way to sign in.",
    },
  },
  "change-password": {
    NotAuthorizedException: {
      message: "Your current password isn't right. Check it and try again.",
    },
  },
  "change-email": {
    AliasExistsException: {
      message: "Another account already uses this email. Choose a different one.",
    },
    UsernameExistsException: {
      message: "Another account already uses this email. Choose a different one.",
    },
  },
  "verify-email": {
    AliasExistsException: {
      message:
        "Another account already uses this email, so it can't be yours. Your email is unchanged.",
    },
  },
};

/** Cognito refuses an access token that has expired or was revoked (signed out elsewhere). */
export function sessionEnded(error: unknown): boolean {
  return isEndedSession(error, errorName(error));
}

function isEndedSession(error: unknown, name: string | undefined): boolean {
  const message = (error as { message?: unknown } | null)?.message;
  return (
    name === "UserUnAuthenticatedException" ||
    (name === "NotAuthorizedException" &&
      typeof message === "string" &&
      /access token|revoked|expired/i.test(message))
  );
}

/** Steps of a signed-in person, where a refused access token means the session has ended. */
const SIGNED_IN_STEPS = new Set<AuthStep>([
  "change-password",
  "change-email",
  "verify-email",
  "two-factor",
  "two-factor-setup",
  "passkeys",
]);

function errorName(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const name = (error as { name?: unknown }).name;
  return typeof name === "string" ? name : undefined;
}

function isNetworkFailure(error: unknown): boolean {
  return error instanceof TypeError && /fetch|network|load failed/i.test(error.message);
}

/**
 * After five wrong passwords Cognito locks the user out for a while and
 * answers NotAuthorizedException "Password attempts exceeded" meanwhile
 * (developer guide, "Lockout behavior for failed sign-in attempts").
 */
function isLockout(error: unknown, name: string | undefined): boolean {
  const message = (error as { message?: unknown } | null)?.message;
  return (
    name === "NotAuthorizedException" &&
    typeof message === "string" &&
    /attempts exceeded/i.test(message)
  );
}

export function describeAuthError(error: unknown, step: AuthStep): FriendlyError {
  const name = errorName(error);
  if (isLockout(error, name)) return TOO_MANY;
  if (SIGNED_IN_STEPS.has(step) && isEndedSession(error, name)) return SESSION_ENDED;
  const forStep = name ? BY_STEP[step]?.[name] : undefined;
  if (forStep) return forStep;
  const entry = name ? BY_NAME[name] : undefined;
  if (entry) {
    if ("message" in entry && typeof entry.message === "string") return entry as FriendlyError;
    const forStep = (entry as Partial<Record<AuthStep, FriendlyError>>)[step];
    if (forStep) return forStep;
  }
  if (isNetworkFailure(error)) return NETWORK;
  return GENERIC;
}
