import { ProfileFields } from "@userprofile/core/profile-fields";
import { passwordRules } from "@userprofile/core/user-pool";
import type { Profile, ProfileChanges } from "./api";

type Field = ProfileFields.Definition;

/** What sign-up asks for beyond email and password: the fields a new profile takes from the pool. */
export const SIGN_UP_FIELDS = ProfileFields.fromPool;
/** What the profile screen lets a person edit. */
export const EDITABLE_FIELDS = ProfileFields.editable;
/** Shown on the profile screen, not editable. */
export const READ_ONLY_FIELDS = ProfileFields.all.filter((field) => !field.editable);

/** What is typed in each field's input, by the field's key. */
export type FieldDraft = Readonly<Record<string, string | undefined>>;

/** A field's value in a profile from the API; `null` when it has none. */
export function fieldOf(profile: Profile, field: Field): string | null {
  const value = (profile as unknown as Record<string, unknown>)[field.key];
  return typeof value === "string" ? value : null;
}

const PASSWORD_RULES = passwordRules();

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
 * The API's own rule for the field, checked before anything is sent. A field
 * that shows nothing (spaces, zero-width characters) is an empty field: no value.
 */
export function fieldError(field: Field, value: string): string | undefined {
  if (field.rule.isBlank(value)) return undefined;
  const verdict = field.rule.check(value, field.label);
  return verdict.ok ? undefined : verdict.message;
}

/** The value as the API stores it (NFC, trimmed), or "" for an empty field; call after fieldError. */
function fieldValue(field: Field, value: string): string {
  if (field.rule.isBlank(value)) return "";
  const verdict = field.rule.check(value, field.label);
  return verdict.ok ? verdict.value : value;
}

/** The first message of a field in the draft that breaks its rule. */
export function draftError(fields: readonly Field[], draft: FieldDraft): string | undefined {
  for (const field of fields) {
    const error = fieldError(field, draft[field.key] ?? "");
    if (error) return error;
  }
  return undefined;
}

/** The sign-up form: email, password and each of SIGN_UP_FIELDS by its key. */
export type SignUpInput = { email: string; password: string } & FieldDraft;

export function signUpError(input: SignUpInput): string | undefined {
  return (
    emailError(input.email) ??
    (isStrongPassword(input.password)
      ? undefined
      : "This password is too weak: it must meet every rule listed.") ??
    draftError(SIGN_UP_FIELDS, input)
  );
}

/** The pool attributes to sign up with: the email, and each field given, under its pool attribute. */
export function signUpAttributes(input: SignUpInput): Record<string, string> {
  const attributes: Record<string, string> = { email: normalizeEmail(input.email) };
  for (const field of SIGN_UP_FIELDS) {
    const value = fieldValue(field, input[field.key] ?? "");
    if (value) attributes[field.poolAttribute as string] = value;
  }
  return attributes;
}

export function codeError(code: string): string | undefined {
  const value = code.trim();
  if (!value) return "Enter the confirmation code.";
  if (!/^\d{4,10}$/.test(value)) return "The code is the digits from the email we sent.";
  return undefined;
}

/** Only changed fields go into the PATCH; an emptied field is sent as null to clear it. */
export function profileChanges(profile: Profile, draft: FieldDraft): ProfileChanges {
  const changes: Record<string, string | null> = {};
  for (const field of EDITABLE_FIELDS) {
    const typed = draft[field.key];
    if (typed === undefined) continue;
    const next = fieldValue(field, typed);
    if (next !== (fieldOf(profile, field) ?? "")) changes[field.key] = next === "" ? null : next;
  }
  return changes as ProfileChanges;
}

export function memberSince(createdAt: string, locale?: string): string {
  const date = new Date(createdAt);
  if (Number.isNaN(date.getTime())) return "—";
  return new Intl.DateTimeFormat(locale, { dateStyle: "long" }).format(date);
}
