import { Name } from "@userprofile/core/name";
import { passwordRules } from "@userprofile/core/user-pool";
import type { Profile, ProfileChanges } from "./api";

/** The API's limit, in characters (code points): core's one name rule. */
export const NAME_MAX_LENGTH = Name.MAX_LENGTH;

export const PASSWORD_RULES = passwordRules();

export function checkPassword(password: string) {
  return PASSWORD_RULES.map((rule) => ({
    id: rule.id,
    label: rule.label,
    met: rule.test(password),
  }));
}

export function isStrongPassword(password: string): boolean {
  return PASSWORD_RULES.every((rule) => rule.test(password));
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function emailError(email: string): string | undefined {
  const value = email.trim();
  if (!value) return "Enter your email.";
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value))
    return "Enter a valid email, like name@example.com.";
  return undefined;
}

/**
 * The API's own name rule, checked before anything is sent. A field that
 * shows nothing (spaces, zero-width characters) is an empty field: no name.
 */
export function nameError(label: string, value: string): string | undefined {
  if (Name.isBlank(value)) return undefined;
  const verdict = Name.check(value, label);
  return verdict.ok ? undefined : verdict.message;
}

/** The name as the API stores it (NFC, trimmed), or "" for an empty field; call after nameError. */
export function nameValue(value: string): string {
  if (Name.isBlank(value)) return "";
  const verdict = Name.check(value);
  return verdict.ok ? verdict.value : value;
}

export interface SignUpInput {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
}

export function signUpError(input: SignUpInput): string | undefined {
  return (
    emailError(input.email) ??
    (isStrongPassword(input.password)
      ? undefined
      : "This password is too weak: it must meet every rule listed.") ??
    nameError("First name", input.firstName) ??
    nameError("Last name", input.lastName)
  );
}

export function signUpAttributes(input: SignUpInput): Record<string, string> {
  const attributes: Record<string, string> = { email: normalizeEmail(input.email) };
  const firstName = nameValue(input.firstName);
  const lastName = nameValue(input.lastName);
  if (firstName) attributes.given_name = firstName;
  if (lastName) attributes.family_name = lastName;
  return attributes;
}

export function codeError(code: string): string | undefined {
  const value = code.trim();
  if (!value) return "Enter the confirmation code.";
  if (!/^\d{4,10}$/.test(value)) return "The code is the digits from the email we sent.";
  return undefined;
}

export interface NameDraft {
  firstName: string;
  lastName: string;
}

/** Only changed names go into the PATCH; an emptied name is sent as null to clear it. */
export function profileChanges(profile: Profile, draft: NameDraft): ProfileChanges {
  const changes: ProfileChanges = {};
  for (const field of ["firstName", "lastName"] as const) {
    const next = nameValue(draft[field]);
    const current = profile[field] ?? "";
    if (next !== current) changes[field] = next === "" ? null : next;
  }
  return changes;
}

export function memberSince(createdAt: string, locale?: string): string {
  const date = new Date(createdAt);
  if (Number.isNaN(date.getTime())) return "—";
  return new Intl.DateTimeFormat(locale, { dateStyle: "long" }).format(date);
}
