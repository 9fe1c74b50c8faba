import { Name } from "../name/index";
import { Text } from "../text/index";

export type Verdict = Text.Verdict<string>;

/** What a field's values must be, for the API, the web form and values from the pool. */
export interface Rule {
  /** For the README's field table, e.g. "name" or "text, ≤ 80". */
  readonly description: string;
  /** The 400 error code of a value that breaks the rule. */
  readonly code: string;
  /** A typed value: what to store (NFC, trimmed), or why not; messages start with `label`. */
  check(input: string, label: string): Verdict;
  /** A value from the user pool: cleaned, never refused; undefined when nothing valid is left. */
  clean(input: unknown): string | undefined;
  /** Shows nothing: a form field like this is an empty field. */
  isBlank(value: string): boolean;
}

/** The name rule (core/name): for a person's names. */
export const nameRule: Rule = {
  description: "name",
  code: "invalid_name",
  check: (input, label) => Name.check(input, label),
  clean: Name.clean,
  isBlank: Name.isBlank,
};

/** The text rule (core/text) with a field's own limit, in characters: for any other line of text. */
export function textRule(maxLength: number): Rule {
  return {
    description: `text, ≤ ${maxLength}`,
    code: "invalid_text",
    check: (input, label) => Text.check(input, label, maxLength),
    clean: (input) => Text.clean(input, maxLength),
    isBlank: Text.isBlank,
  };
}

export interface Definition {
  /** The key in the API's JSON, the PATCH body and the Profile types. */
  readonly key: string;
  /** The Users table attribute that holds it; left out of the item when there is no value. */
  readonly attribute: string;
  /**
   * The user-pool attribute a new profile takes it from (the trigger, the
   * heal path and reconcile) and the web sign-up form writes: a standard
   * attribute (`given_name`) or a custom one (`custom:displayName`, which
   * the pool's schema then declares). None: the field starts empty.
   */
  readonly poolAttribute?: string;
  readonly rule: Rule;
  /** Whether PATCH /me may set or clear it. */
  readonly editable: boolean;
  /** The web form's label; the API's messages name the key. */
  readonly label: string;
  /** The browser's autofill token (HTML `autocomplete`), if one fits. */
  readonly autoComplete?: string;
}
