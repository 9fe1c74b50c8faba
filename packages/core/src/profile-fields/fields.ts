import { type Definition, nameRule } from "./rules";

/**
 * The profile's fields, in the order the API's JSON and the forms show them:
 * the one place to add one (the README's "Add a profile field"). The table
 * item, the API, the trigger, the heal path, reconcile, the web forms and the
 * pool's custom-attribute schema follow from this list.
 */
export const fields = [
  {
    key: "firstName",
    attribute: "firstName",
    poolAttribute: "given_name",
    rule: nameRule,
    editable: true,
    label: "First name",
    autoComplete: "given-name",
  },
  {
    key: "lastName",
    attribute: "lastName",
    poolAttribute: "family_name",
    rule: nameRule,
    editable: true,
    label: "Last name",
    autoComplete: "family-name",
  },
] as const satisfies readonly Definition[];
