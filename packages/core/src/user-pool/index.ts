/**
 * The user pool's settings, defined once: infra deploys them, the local pool
 * emulator enforces them and the web app shows the password rules from them.
 */
export const UserPoolSettings = {
  /** Users sign in with their email; the pool's username is then the user's `sub`. */
  usernameAttributes: ["email"],
  passwordPolicy: {
    minimumLength: 8,
    requireLowercase: true,
    requireUppercase: true,
    requireNumbers: true,
    requireSymbols: true,
    temporaryPasswordValidityDays: 7,
  },
  /**
   * The web client's token lifetimes (Cognito's defaults, set explicitly):
   * API Gateway accepts an ID or access token until it expires, even after the
   * user is deleted, so account deletion keeps its marker longer than these.
   */
  tokenValidity: { accessTokenMinutes: 60, idTokenMinutes: 60, refreshTokenDays: 30 },
  /** SRP keeps the password off the wire; USER_PASSWORD_AUTH stays disabled. */
  webClientAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
} as const;

/** Cognito's symbol set for `requireSymbols`. */
const SYMBOLS = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-";

export interface PasswordPolicy {
  minimumLength: number;
  requireLowercase: boolean;
  requireUppercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
}

export interface PasswordRule {
  id: "length" | "lowercase" | "uppercase" | "number" | "symbol";
  label: string;
  test: (password: string) => boolean;
}

export function passwordRules(
  policy: PasswordPolicy = UserPoolSettings.passwordPolicy,
): PasswordRule[] {
  const rules: PasswordRule[] = [
    {
      id: "length",
      label: `At least ${policy.minimumLength} characters`,
      test: (p) => p.length >= policy.minimumLength,
    },
  ];
  if (policy.requireLowercase)
    rules.push({ id: "lowercase", label: "A lowercase letter", test: (p) => /[a-z]/.test(p) });
  if (policy.requireUppercase)
    rules.push({ id: "uppercase", label: "An uppercase letter", test: (p) => /[A-Z]/.test(p) });
  if (policy.requireNumbers)
    rules.push({ id: "number", label: "A number", test: (p) => /[0-9]/.test(p) });
  if (policy.requireSymbols)
    rules.push({
      id: "symbol",
      label: "A symbol",
      test: (p) => [...p].some((c) => SYMBOLS.includes(c)),
    });
  return rules;
}

/** Cognito's feature plans; a pool's plan decides which sign-in features it may use. */
export const cognitoPlans = ["LITE", "ESSENTIALS", "PLUS"] as const;
export type CognitoPlan = (typeof cognitoPlans)[number];
/** A password-only pool (SRP, TOTP MFA, a post-confirmation trigger) needs nothing beyond Lite. */
export const defaultCognitoPlan: CognitoPlan = "LITE";

/**
 * `COGNITO_PLAN` as a deploy reads it (the bench prices the same plan); unset, the plan the
 * sign-in methods need (`fallback`).
 */
export function parseCognitoPlan(
  raw: string | undefined,
  fallback: CognitoPlan = defaultCognitoPlan,
): CognitoPlan {
  const plan = raw?.trim().toUpperCase();
  if (!plan) return fallback;
  if (!(cognitoPlans as readonly string[]).includes(plan)) {
    throw new Error(
      `COGNITO_PLAN=${raw?.trim()} is not a Cognito feature plan: use lite, essentials or plus.`,
    );
  }
  return plan as CognitoPlan;
}

/** The first factors of choice-based sign-in (USER_AUTH) this app offers. */
export const firstAuthFactors = ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"] as const;
export type FirstAuthFactor = (typeof firstAuthFactors)[number];

/** The names `SIGN_IN_METHODS` takes, and the factor each one is. */
export const signInMethodFactors: Record<string, FirstAuthFactor> = {
  password: "PASSWORD",
  "email-code": "EMAIL_OTP",
  passkey: "WEB_AUTHN",
};

/** Email codes and passkeys are Essentials features; a password-only pool stays on Lite. */
export const passwordlessFactors: readonly FirstAuthFactor[] = ["EMAIL_OTP", "WEB_AUTHN"];
