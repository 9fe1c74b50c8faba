/**
 * Opt-in production settings, read from environment variables when `sst deploy` evaluates the
 * app. SST also loads `.env` and `.env.<stage>` beside sst.config.ts into the environment, and the
 * deploy workflow passes the GitHub environment's variables. None of these values is a secret:
 * they change the shape of resources, so they must be plain values known while the program runs
 * (an SST secret is an encrypted Output, resolved too late to decide whether a setting is on).
 *
 * Pure: no SST globals, so the parsing is unit-tested directly and the infra tests can clear the
 * variables from the environment they inherit.
 */

import {
  type CognitoPlan,
  type FirstAuthFactor,
  parseCognitoPlan,
  passwordlessFactors,
  signInMethodFactors,
} from "@userprofile/core/user-pool";

export const settingVariables = {
  sesFromAddress: "SES_FROM_ADDRESS",
  sesIdentityArn: "SES_IDENTITY_ARN",
  cognitoPlan: "COGNITO_PLAN",
  threatProtection: "COGNITO_THREAT_PROTECTION",
  appDomain: "APP_DOMAIN",
  usersTableName: "USERS_TABLE_NAME",
  signInMethods: "SIGN_IN_METHODS",
} as const;

/** The stage the local stack evaluates (`pnpm dev:local`): its mailbox stands in for SES. */
export const localStage = "local";

export const threatProtectionModes = ["off", "audit", "enforced"] as const;
export type ThreatProtectionMode = (typeof threatProtectionModes)[number];

export interface DeploySettings {
  /** Send the pool's email through a verified SES identity instead of Cognito's capped sender. */
  email?: { from: string; sourceArn: string };
  /** The user pool's feature plan: Essentials with passwordless sign-in, Lite without. */
  cognitoPlan: CognitoPlan;
  /**
   * The first factors the pool offers (`SIGN_IN_METHODS`), in that order. Cognito sends email
   * codes only through SES, so a deployed stage without SES drops EMAIL_OTP.
   */
  firstAuthFactors: FirstAuthFactor[];
  /** Cognito threat protection; only the PLUS plan allows anything but "off". */
  threatProtection: ThreatProtectionMode;
  /** Custom hostnames for the site and the API (Route 53 hosted zone required). */
  domains?: { site: string; api: string };
  /** An existing table (e.g. one restored from a backup) used instead of the stage's own. */
  usersTableName?: string;
}

/** The stage that serves the apex domain; every other stage gets `<stage>.<domain>`. */
export const apexStage = "production";

type Env = Readonly<Record<string, string | undefined>>;

export function readDeploySettings(env: Env, stage: string): DeploySettings {
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw ? raw : undefined;
  };
  const email = sesEmail(
    value(settingVariables.sesFromAddress),
    value(settingVariables.sesIdentityArn),
  );
  const firstAuthFactors = signInFactors(value(settingVariables.signInMethods)).filter(
    (factor) => factor !== "EMAIL_OTP" || email !== undefined || stage === localStage,
  );
  const passwordless = firstAuthFactors.some((factor) => passwordlessFactors.includes(factor));
  const settings: DeploySettings = {
    cognitoPlan: parseCognitoPlan(
      value(settingVariables.cognitoPlan),
      passwordless ? "ESSENTIALS" : "LITE",
    ),
    firstAuthFactors,
    threatProtection: threatProtection(value(settingVariables.threatProtection)),
  };
  if (passwordless && settings.cognitoPlan === "LITE") {
    throw new Error(
      `${settingVariables.cognitoPlan}=lite has no passwordless sign-in: set ` +
        `${settingVariables.signInMethods}=password, or use the essentials plan.`,
    );
  }
  if (settings.threatProtection !== "off" && settings.cognitoPlan !== "PLUS") {
    throw new Error(
      `${settingVariables.threatProtection}=${settings.threatProtection} needs the PLUS feature plan: ` +
        `set ${settingVariables.cognitoPlan}=plus too (threat protection is a Plus feature).`,
    );
  }

  if (email) settings.email = email;

  const domain = value(settingVariables.appDomain);
  if (domain) settings.domains = hostnames(domain.toLowerCase().replace(/\.$/, ""), stage);

  const table = value(settingVariables.usersTableName);
  if (table) settings.usersTableName = usersTableName(table, stage);
  return settings;
}

/** `password,email-code,passkey` (the default): the password is always one of them. */
function signInFactors(raw: string | undefined): FirstAuthFactor[] {
  if (!raw) return Object.values(signInMethodFactors);
  const names = raw.split(",").map((name) => name.trim().toLowerCase());
  const factors = names.map((name) => {
    const factor = signInMethodFactors[name];
    if (!factor) {
      throw new Error(
        `${settingVariables.signInMethods}=${raw} names "${name}": use ${Object.keys(signInMethodFactors).join(", ")}.`,
      );
    }
    return factor;
  });
  if (!factors.includes("PASSWORD")) {
    throw new Error(
      `${settingVariables.signInMethods}=${raw} must include password (account recovery and the pool's policy rely on it).`,
    );
  }
  return Object.values(signInMethodFactors).filter((factor) => factors.includes(factor));
}

function threatProtection(raw: string | undefined): ThreatProtectionMode {
  if (!raw) return "off";
  const mode = raw.toLowerCase();
  if (!(threatProtectionModes as readonly string[]).includes(mode)) {
    throw new Error(
      `${settingVariables.threatProtection}=${raw} is not a threat protection mode: use off, audit or enforced.`,
    );
  }
  return mode as ThreatProtectionMode;
}

const sesIdentityArnPattern = /^arn:aws[a-z-]*:ses:[a-z0-9-]+:\d{12}:identity\/(.+)$/;

/** Cognito only sends from the identity's own address, or from an address at its domain. */
function sesEmail(from: string | undefined, sourceArn: string | undefined) {
  if (!from && !sourceArn) return undefined;
  if (!from || !sourceArn) {
    throw new Error(
      `Set both ${settingVariables.sesFromAddress} and ${settingVariables.sesIdentityArn} to send email ` +
        "through SES, or neither to keep Cognito's default sender.",
    );
  }
  const identity = sesIdentityArnPattern.exec(sourceArn)?.[1]?.toLowerCase();
  if (!identity) {
    throw new Error(
      `${settingVariables.sesIdentityArn} must be an SES identity ARN ` +
        "(arn:aws:ses:<region>:<account>:identity/<domain or address>).",
    );
  }
  const address = (/<([^<>\s]+)>\s*$/.exec(from)?.[1] ?? from).toLowerCase();
  const at = address.lastIndexOf("@");
  if (at < 1 || at === address.length - 1 || /\s/.test(address)) {
    throw new Error(
      `${settingVariables.sesFromAddress} must be an email address, optionally with a display name ` +
        '("Example <no-reply@example.com>").',
    );
  }
  const addressDomain = address.slice(at + 1);
  const allowed = identity.includes("@")
    ? address === identity
    : addressDomain === identity || addressDomain.endsWith(`.${identity}`);
  if (!allowed) {
    throw new Error(
      `${settingVariables.sesFromAddress} (${address}) is not covered by the SES identity ${identity}.`,
    );
  }
  return { from, sourceArn };
}

const dnsLabel = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** production serves the apex (`example.com`, `api.example.com`); other stages a subdomain each. */
export function hostnames(domain: string, stage: string) {
  if (domain.split(".").length < 2 || !domain.split(".").every((label) => dnsLabel.test(label))) {
    throw new Error(`${settingVariables.appDomain}=${domain} is not a domain name.`);
  }
  if (stage === apexStage) return { site: domain, api: `api.${domain}` };
  if (!dnsLabel.test(stage)) {
    throw new Error(
      `Stage "${stage}" cannot be a DNS label under ${domain}: use lowercase letters, digits and hyphens.`,
    );
  }
  return { site: `${stage}.${domain}`, api: `api.${stage}.${domain}` };
}

/** Naming the stage guards against pointing one stage at another stage's data by mistake. */
function usersTableName(name: string, stage: string) {
  if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(name)) {
    throw new Error(`${settingVariables.usersTableName}=${name} is not a DynamoDB table name.`);
  }
  if (!name.includes(stage)) {
    throw new Error(
      `${settingVariables.usersTableName}=${name} does not name stage "${stage}": ` +
        "restore into a table whose name contains the stage it serves.",
    );
  }
  return name;
}
