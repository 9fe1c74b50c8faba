export interface AppConfig {
  region?: string;
  userPoolId: string;
  userPoolClientId: string;
  apiUrl: string;
  /** Set only against the local stack: the Cognito emulator's base URL. */
  cognitoEndpoint?: string;
  /** Set only against the local stack: where the emulator's sent codes can be read. */
  mailboxUrl?: string;
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
  return {
    ok: true,
    config: {
      ...(region ? { region } : {}),
      userPoolId: value(REQUIRED.userPoolId) as string,
      userPoolClientId: value(REQUIRED.userPoolClientId) as string,
      apiUrl: trimSlash(value(REQUIRED.apiUrl) as string),
      ...(cognitoEndpoint ? { cognitoEndpoint: trimSlash(cognitoEndpoint) } : {}),
      ...(mailboxUrl ? { mailboxUrl: trimSlash(mailboxUrl) } : {}),
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
