import { VisibleError } from "../error/index";
import { ProfileFields } from "../profile-fields/index";

/** A validated change: a field set to a string, cleared with `null`, or left out. */
export type FieldChanges = { [K in ProfileFields.EditableKey]?: string | null };

const EDITABLE_KEYS = ProfileFields.editable.map((field) => field.key).join(", ");

export function parseFieldChanges(input: unknown): FieldChanges {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new VisibleError("input", "invalid_body", "The body must be a JSON object.");
  }
  const changes: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(input)) {
    const field = ProfileFields.editable.find((candidate) => candidate.key === key);
    if (!field) {
      const known = ProfileFields.all.some((candidate) => candidate.key === key);
      throw new VisibleError(
        "input",
        "unknown_field",
        known
          ? `"${key}" cannot be changed. Editable fields: ${EDITABLE_KEYS}.`
          : `Unknown field "${Array.from(key).slice(0, 40).join("")}". Editable fields: ${EDITABLE_KEYS}.`,
      );
    }
    changes[key] = parseValue(field, value);
  }
  if (Object.keys(changes).length === 0) {
    throw new VisibleError(
      "input",
      "empty_change",
      `Nothing to change. Editable fields: ${EDITABLE_KEYS}.`,
    );
  }
  return changes as FieldChanges;
}

function parseValue(field: ProfileFields.Definition, value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== "string") {
    throw new VisibleError("input", "invalid_type", `"${field.key}" must be a string or null.`);
  }
  const verdict = field.rule.check(value, `"${field.key}"`);
  if (!verdict.ok) {
    throw new VisibleError("input", field.rule.code, `${verdict.message} Send null to clear it.`);
  }
  return verdict.value;
}
