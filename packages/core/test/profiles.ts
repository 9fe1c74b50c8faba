import { vi } from "vitest";
import { Profile } from "../src/profile";
import { ProfileFields } from "../src/profile-fields";

type FieldValues = Partial<Record<ProfileFields.Key, string | undefined>>;

/** The user-pool attributes that carry these field values, as the fields' definition maps them. */
export function attributesFor(values: FieldValues): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const field of ProfileFields.fromPool) {
    const value = values[field.key as ProfileFields.Key];
    if (value !== undefined) attributes[field.poolAttribute as string] = value;
  }
  return attributes;
}

/**
 * A profile as `GET /me` shows it: these values, and null for every other defined field, so
 * tests about the shipped fields still hold when an adopter defines more.
 */
export function profileOf<T extends Record<string, unknown>>(values: T) {
  const empty = Object.fromEntries(ProfileFields.all.map((field) => [field.key, null]));
  return { ...empty, ...values };
}

/** A new profile as the trigger makes one, for a pool user with these field values. */
export function newProfile(
  userId: string,
  email: string,
  values: FieldValues = {},
): Profile.NewProfile {
  return { userId, email, attributes: attributesFor(values) };
}

/** The active profile, or null when there is none or the account was deleted. */
export async function activeProfile(
  store: Profile.Store,
  userId: string,
  now = new Date(),
): Promise<Profile.Info | null> {
  const state = await Profile.load(store, userId, now);
  return state.status === "active" ? state.profile : null;
}

/** A failure that is not a failed condition, as the network or DynamoDB can raise. */
export function failNextCall(store: Profile.Store) {
  vi.spyOn(store.client, "send").mockRejectedValueOnce(
    Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }),
  );
}
