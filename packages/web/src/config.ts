/** The first factors a pool can allow (its sign-in policy); the app offers only what is enabled. */
export const FACTORS = ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"] as const;
export type Factor = (typeof FACTORS)[number];

export interface AppConfig {
  region?: string;
  userPoolId: string;
  userPoolClientId: string;
  apiUrl: string;
  /** Set only against the local stack: the Cognito emulator's base URL. */
  cognitoEndpoint?: string;
  /** Set only against the local stack: where the emulator's sent codes can be read. */
  mailboxUrl?: string;
  /** What the pool's sign-in policy allows beyond a password (VITE_SIGN_IN_FACTORS); a password alone if unset. */
  signInFactors?: Factor[];
  /** Whether people may turn on TOTP two-factor authentication (VITE_TOTP_MFA). */
  totpMfa?: boolean;
}

/** The first factors offered: always the password (SRP), and what the pool enables beside it. */
export function factorsOf(config: AppConfig): Factor[] {
  return config.signInFactors?.length ? config.signInFactors : ["PASSWORD"];
}

/** Choice-based sign-in (USER_AUTH) is on when the pool allows any factor beside the password. */
export function offersChoice(config: AppConfig): boolean {
  return factorsOf(config).some((factor) => factor !== "PASSWORD");
}

function readFactors(value: string | undefined): Factor[] {
  const named = (value ?? "").split(",").map((part) => part.trim().toUpperCase());
  return FACTORS.filter((factor) => named.includes(factor));
}

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; missing: string[] };

const REQUIRED = {
  userPoolId: "VITE_USER_POOL_ID",
  userPoolClientId: "VITE_USER_POOL_CLIENT_ID",
  apiUrl: "VITE_API_URL",
} as const;

const trimSlash = (url: string) => url.replace(/\/+$/, "");

export function readConfig(env: Record<string, string | undefined>): ConfigResult {
  const missing = Object.values(REQUIRED).filter((name) => !env[name]?.trim());
  if (missing.length > 0) return { ok: false, missing };
  const value = (name: string) => env[name]?.trim() || undefined;
  const cognitoEndpoint = value("VITE_COGNITO_ENDPOINT");
  const mailboxUrl = value("VITE_MAILBOX_URL");
  const region = value("VITE_REGION");
  const signInFactors = readFactors(value("VITE_SIGN_IN_FACTORS"));
  const totpMfa = value("VITE_TOTP_MFA") === "on";
  return {
    ok: true,
    config: {
      ...(region ? { region } : {}),
      userPoolId: value(REQUIRED.userPoolId) as string,
      userPoolClientId: value(REQUIRED.userPoolClientId) as string,
      apiUrl: trimSlash(value(REQUIRED.apiUrl) as string),
      ...(cognitoEndpoint ? { cognitoEndpoint: trimSlash(cognitoEndpoint) } : {}),
      ...(mailboxUrl ? { mailboxUrl: trimSlash(mailboxUrl) } : {}),
      ...(signInFactors.length ? { signInFactors } : {}),
      ...(totpMfa ? { totpMfa } : {}),
    },
  };
}

export function amplifyConfig(config: AppConfig) {
  return {
    Auth: {
      Cognito: {
        userPoolId: config.userPoolId,
        userPoolClientId: config.userPoolClientId,
        loginWith: { email: true },
        ...(config.cognitoEndpoint ? { userPoolEndpoint: config.cognitoEndpoint } : {}),
      },
    },
  };
}

/**
 * Where the user pool's API answers: the emulator locally, else Cognito in the
 * pool's region, named as Amplify names it (China's regions have their own DNS suffix).
 */
export function userPoolEndpoint(config: AppConfig): string {
  if (config.cognitoEndpoint) return config.cognitoEndpoint;
  const region = config.userPoolId.split("_")[0] ?? "";
  const suffix = /^cn-\w+-\d+$/.test(region) ? "amazonaws.com.cn" : "amazonaws.com";
  return `https://cognito-idp.${region}.${suffix}`;
}
