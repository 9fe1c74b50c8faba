/**
 * The one rule for a person's first or last name. The API checks input with
 * it, the web form shows its messages before anything is sent, and the
 * trigger and the heal path clean what the user pool holds with it. It has no
 * dependencies, so the browser bundle can import it.
 */
export namespace Name {
  /** Counted in Unicode code points after NFC, so an emoji counts as one, as a person sees it. */
  export const MAX_LENGTH = 50;

  export type Problem = "malformed" | "control" | "bidi" | "empty" | "too_long";

  export type Verdict =
    | { ok: true; value: string }
    | { ok: false; problem: Problem; message: string };

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
   * dots, a favourite "blank name") may appear in a name, but not alone.
   */
  const VISIBLE = /[^\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Cs}\u2800]/u;

  export function length(value: string): number {
    let count = 0;
    for (const _ of value) count += 1;
    return count;
  }

  /** True when a person would see nothing: a form field like this is an empty field. */
  export function isBlank(value: string): boolean {
    return !VISIBLE.test(value);
  }

  /**
   * Checks a name a person typed. On success `value` is what to store: NFC,
   * trimmed. `label` starts each message, e.g. `"firstName"` or `First name`.
   */
  export function check(input: string, label = "The name"): Verdict {
    if (LONE_SURROGATE.test(input)) {
      return refuse(
        "malformed",
        `${label} contains a broken character (an unpaired UTF-16 surrogate).`,
      );
    }
    const value = input.normalize("NFC").replace(EDGE_SPACE, "");
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
    if (length(value) > MAX_LENGTH) {
      return refuse("too_long", `${label} must be at most ${MAX_LENGTH} characters.`);
    }
    return { ok: true, value };
  }

  /**
   * Cleans a name from the user pool (sign-up attributes), which must never
   * fail a sign-up: drops broken surrogates, bidi and other controls (tabs and
   * line breaks become spaces), normalizes, trims and shortens to MAX_LENGTH
   * code points without splitting a character a person sees (a grapheme, e.g.
   * a flag or a family emoji). Returns undefined when nothing valid is left.
   */
  export function clean(input: unknown): string | undefined {
    if (typeof input !== "string") return undefined;
    const stripped = input
      .replace(/\p{Cs}/gu, "")
      .replace(/[\t\n\v\f\r\u0085\u2028\u2029]/g, " ")
      .replace(/[\p{Cc}\p{Bidi_Control}]/gu, "")
      .normalize("NFC")
      .replace(EDGE_SPACE, "");
    const verdict = check(shorten(stripped, MAX_LENGTH));
    return verdict.ok ? verdict.value : undefined;
  }

  function shorten(value: string, max: number): string {
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
