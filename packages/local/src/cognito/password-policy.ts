import type { UserPoolSpec } from "../spec";
import { CognitoError, validationError } from "./errors";

/** The characters Cognito counts as symbols for `RequireSymbols` (PasswordPolicyType). */
const SYMBOLS = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-";

type Policy = UserPoolSpec["passwordPolicy"];

/** Cognito's wording for each rule, in the order it reports them. */
const RULES: [keyof Policy | "minimumLength", string, (policy: Policy, p: string) => boolean][] = [
  ["minimumLength", "Password not long enough", (policy, p) => p.length >= policy.minimumLength],
  ["requireUppercase", "Password must have uppercase characters", (_, p) => /[A-Z]/.test(p)],
  ["requireLowercase", "Password must have lowercase characters", (_, p) => /[a-z]/.test(p)],
  ["requireNumbers", "Password must have numeric characters", (_, p) => /[0-9]/.test(p)],
  [
    "requireSymbols",
    "Password must have symbol characters",
    (_, p) => [...p].some((c) => SYMBOLS.includes(c)),
  ],
];

/** Throws what Cognito throws for a password the pool's policy rejects. */
export function assertPasswordAllowed(policy: Policy, password: unknown, field = "password") {
  if (typeof password !== "string" || password.length < 6) {
    // The API's own constraint, checked before the pool's policy.
    throw validationError(field, "Member must have length greater than or equal to 6");
  }
  for (const [setting, message, test] of RULES) {
    const applies = setting === "minimumLength" || policy[setting] === true;
    if (applies && !test(policy, password)) {
      throw new CognitoError(
        "InvalidPasswordException",
        `Password did not conform with policy: ${message}`,
      );
    }
  }
}
