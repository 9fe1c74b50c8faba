import { type PasswordRule, passwordRules, UserPoolSettings } from "@userprofile/core/user-pool";
import { CognitoError, InvalidParameterError } from "cognito-local/lib/errors.js";

/** Cognito's wording for each rule, in the order it reports them. */
const MESSAGES: Record<PasswordRule["id"], string> = {
  length: "Password not long enough",
  uppercase: "Password must have uppercase characters",
  lowercase: "Password must have lowercase characters",
  number: "Password must have numeric characters",
  symbol: "Password must have symbol characters",
};
const ORDER: PasswordRule["id"][] = ["length", "uppercase", "lowercase", "number", "symbol"];

const rules = passwordRules(UserPoolSettings.passwordPolicy).sort(
  (a, b) => ORDER.indexOf(a.id) - ORDER.indexOf(b.id),
);

/** Throws what Cognito throws for a password the pool's policy rejects. */
export function assertPasswordAllowed(password: unknown, field = "password"): void {
  if (typeof password !== "string" || password.length < 6) {
    // The API's own constraint, checked before the pool's policy.
    throw new InvalidParameterError(
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length greater than or equal to 6`,
    );
  }
  const broken = rules.find((rule) => !rule.test(password));
  if (broken) {
    throw new CognitoError(
      "InvalidPasswordException",
      `Password did not conform with policy: ${MESSAGES[broken.id]}`,
    );
  }
}
