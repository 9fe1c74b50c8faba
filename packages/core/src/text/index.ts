/**
 * The rule every profile text value follows: one line a person can read.
 * The name rule (core/name) adds to it; a field of another kind (a display
 * name, a title) uses it as it is, with its own maximum length. No
 * dependencies, so the browser bundle can import it.
 */
export namespace Text {
  export type Problem = "malformed" | "control" | "bidi" | "empty" | "too_long";

  export type Verdict<P extends string = Problem> =
    | { ok: true; value: string }
    | { ok: false; problem: P; message: string };

  /** Half of a UTF-16 surrogate pair on its own: it encodes no character and no UTF-8. */
  const LONE_SURROGATE = /\p{Cs}/u;
  /** C0/C1 controls (NUL, tab, newline, ESC…) and the Unicode line and paragraph separators. */
  const CONTROL = /[\p{Cc}\p{Zl}\p{Zp}]/u;
  /** The 12 bidi controls (overrides, embeddings, isolates, LRM/RLM/ALM): they reorder text around them. */
  const BIDI_CONTROL = /\p{Bidi_Control}/u;
  /** Trimmed from both ends: whitespace and the zero-width spaces U+200B and U+FEFF. */
  const EDGE_SPACE = /^[\p{White_Space}\u200B\uFEFF]+|[\p{White_Space}\u200B\uFEFF]+$/gu;
  /**
   * A character that shows. Default-ignorable code points (zero-width joiners,
   * fillers, variation selectors, tags) and U+2800 (a braille cell with no
   * dots, a favourite "blank name") may appear, but not alone.
   */
  const VISIBLE = /[^\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Cs}\u2800]/u;

  /** Counted in Unicode code points, so an emoji counts as one, as a person sees it. */
  export function length(value: string): number {
    let count = 0;
    for (const _ of value) count += 1;
    return count;
  }

  /** True when a person would see nothing: a form field like this is an empty field. */
  export function isBlank(value: string): boolean {
    return !VISIBLE.test(value);
  }

  /** NFC with the edge spaces trimmed: how every value is stored. */
  export function normalize(value: string): string {
    return value.normalize("NFC").replace(EDGE_SPACE, "");
  }

  /**
   * Checks a value a person typed. On success `value` is what to store: NFC,
   * trimmed. `label` starts each message, e.g. `"title"` or `Title`.
   */
  export function check(input: string, label: string, maxLength: number): Verdict {
    if (LONE_SURROGATE.test(input)) {
      return refuse(
        "malformed",
        `${label} contains a broken character (an unpaired UTF-16 surrogate).`,
      );
    }
    const value = normalize(input);
    if (CONTROL.test(value)) {
      return refuse("control", `${label} must not contain control characters or line breaks.`);
    }
    if (BIDI_CONTROL.test(value)) {
      return refuse(
        "bidi",
        `${label} must not contain bidirectional control characters (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C).`,
      );
    }
    if (isBlank(value)) {
      return refuse("empty", `${label} must contain at least one visible character.`);
    }
    if (length(value) > maxLength) {
      return refuse("too_long", `${label} must be at most ${maxLength} characters.`);
    }
    return { ok: true, value };
  }

  /**
   * The first step of cleaning a value from the user pool, which must never
   * fail a sign-up: drops broken surrogates, bidi and other controls (tabs and
   * line breaks become spaces), normalizes and trims.
   */
  export function strip(input: string): string {
    return normalize(
      input
        .replace(/\p{Cs}/gu, "")
        .replace(/[\t\n\v\f\r\u0085\u2028\u2029]/g, " ")
        .replace(/[\p{Cc}\p{Bidi_Control}]/gu, ""),
    );
  }

  /**
   * Cleans a value from the user pool: strips it, then shortens it to
   * `maxLength` code points without splitting a character a person sees (a
   * grapheme, e.g. a flag or a family emoji). Undefined when nothing valid is left.
   */
  export function clean(input: unknown, maxLength: number): string | undefined {
    if (typeof input !== "string") return undefined;
    const verdict = check(shorten(strip(input), maxLength), "The value", maxLength);
    return verdict.ok ? verdict.value : undefined;
  }

  export function shorten(value: string, max: number): string {
    if (length(value) <= max) return value;
    if (typeof Intl.Segmenter !== "function") return Array.from(value).slice(0, max).join("");
    let kept = "";
    let count = 0;
    for (const { segment } of new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(
      value,
    )) {
      const size = length(segment);
      if (count + size > max) break;
      kept += segment;
      count += size;
    }
    return kept;
  }

  function refuse(problem: Problem, message: string): Verdict {
    return { ok: false, problem, message };
  }
}
