import { passwordRules } from "@userprofile/core/user-pool";
import type { Profile, ProfileChanges } from "./api";

/** The API's limit (core's Profile.NAME_MAX_LENGTH); a test keeps them equal. */
export const NAME_MAX_LENGTH = 50;

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

export function nameError(label: string, value: string): string | undefined {
  if ([...value.trim()].length > NAME_MAX_LENGTH) {
    return `${label} must be at most ${NAME_MAX_LENGTH} characters.`;
  }
  return undefined;
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
  const firstName = input.firstName.trim();
  const lastName = input.lastName.trim();
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
    const next = draft[field].trim();
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
