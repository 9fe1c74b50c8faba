import { fields } from "./fields";
import type { Definition as FieldDefinition, Rule as FieldRule } from "./rules";

/**
 * The profile's own fields (fields.ts), and what follows from them. Pure (no
 * AWS SDK), so the browser bundle can import it.
 */
export namespace ProfileFields {
  export type Definition = FieldDefinition;
  export type Rule = FieldRule;

  type Defined = (typeof fields)[number];
  export type Key = Defined["key"];
  export type EditableKey = Extract<Defined, { editable: true }>["key"];
  /** A value for every field; `null` where there is none. */
  export type Values = { [K in Key]: string | null };

  export const all: readonly Definition[] = fields;
  export const editable = all.filter((field) => field.editable);
  /** Fields a new profile takes from the user pool, and the web sign-up form asks for. */
  export const fromPool = all.filter((field) => field.poolAttribute !== undefined);
  /** The pool attributes the fields come from, as ListUsers' AttributesToGet takes them. */
  export const poolAttributes = fromPool.map((field) => field.poolAttribute as string);

  /**
   * The user pool's schema entries for the custom attributes the fields come
   * from. Cognito lets a pool gain custom attributes but never lose or change
   * one. Values are cleaned on the way in, so the pool takes up to Cognito's
   * own limit of 2048 characters rather than the rule's.
   */
  export function customAttributeSchema() {
    return fromPool
      .filter((field) => field.poolAttribute?.startsWith("custom:"))
      .map((field) => ({
        name: (field.poolAttribute as string).slice("custom:".length),
        attributeDataType: "String",
        mutable: true,
        stringAttributeConstraints: { minLength: "0", maxLength: "2048" },
      }));
  }
}
