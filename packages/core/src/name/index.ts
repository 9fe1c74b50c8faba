import { Text } from "../text/index";

/**
 * The one rule for a person's first or last name: the text rule (core/text)
 * with at most 50 characters, no invisible formatting characters except the
 * joiners a script or an emoji needs, and a character before any combining
 * mark. The API checks input with it, the web form shows its messages before
 * anything is sent, and the trigger, the heal path and reconcile clean what
 * the user pool holds with it. No dependencies, so the browser bundle can
 * import it.
 */
export namespace Name {
  /** Counted in Unicode code points after NFC, so an emoji counts as one, as a person sees it. */
  const MAX_LENGTH = 50;

  export type Problem = Text.Problem | "invisible" | "no_base";

  export type Verdict = Text.Verdict<Problem>;

  const FORMAT = /\p{Cf}/u;
  const MARK = /\p{M}/u;
  const LETTER_OR_MARK = /[\p{L}\p{M}]/u;
  /**
   * Scripts whose text uses ZWNJ and ZWJ: the cursive ones pick joined or
   * separate letter forms with them (Persian حسین‌زاده), the Brahmic ones
   * shape conjuncts and half forms after a virama (Hindi, Sinhala ශ්‍රී,
   * Malayalam's chillu ന്‍). Script_Extensions, so marks shared between
   * scripts (Arabic harakat) count for each.
   */
  const JOINING_SCRIPT =
    /[\p{scx=Arab}\p{scx=Syrc}\p{scx=Nkoo}\p{scx=Mong}\p{scx=Adlm}\p{scx=Rohg}\p{scx=Deva}\p{scx=Beng}\p{scx=Guru}\p{scx=Gujr}\p{scx=Orya}\p{scx=Taml}\p{scx=Telu}\p{scx=Knda}\p{scx=Mlym}\p{scx=Sinh}\p{scx=Mymr}\p{scx=Khmr}]/u;
  /** What an emoji ZWJ sequence joins after: an emoji, its skin tone, or its emoji-style selector U+FE0F. */
  const EMOJI_END = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F/u;
  const EMOJI = /\p{Extended_Pictographic}/u;
  /** ZWNJ, ZWJ and the Mongolian vowel separator. */
  const JOINERS = new Set(["\u200C", "\u200D", "\u180E"]);
  const BLACK_FLAG = "\u{1F3F4}";
  /** A character that shows and is not a combining mark: what an accent sits on. */
  const BASE = /[^\p{M}\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Cs}\u2800]/u;

  const isTag = (c: string | undefined) => {
    const code = c?.codePointAt(0) ?? 0;
    return code >= 0xe0020 && code <= 0xe007f;
  };

  /**
   * Whether a format character (Cf) may stand between `before` and `after`.
   * Only the joiners where a script or an emoji sequence uses them, and the
   * tag characters of a subdivision flag (🏴 + tags); never a zero-width
   * space, word joiner, U+FEFF, soft hyphen or any other invisible character.
   */
  function formatAllowed(c: string, before: string | undefined, after: string | undefined) {
    if (JOINERS.has(c) && before !== undefined) {
      if (LETTER_OR_MARK.test(before) && JOINING_SCRIPT.test(before)) return true;
      return c === "\u200D" && EMOJI_END.test(before) && after !== undefined && EMOJI.test(after);
    }
    if (isTag(c)) return before === BLACK_FLAG || isTag(before);
    return false;
  }

  export const isBlank = Text.isBlank;

  /**
   * Checks a name a person typed. On success `value` is what to store: NFC,
   * trimmed. `label` starts each message, e.g. `"firstName"` or `First name`.
   */
  export function check(input: string, label = "The name"): Verdict {
    const verdict = Text.check(input, label, MAX_LENGTH);
    if (!verdict.ok) return verdict;
    const characters = Array.from(verdict.value);
    let seenBase = false;
    for (const [index, c] of characters.entries()) {
      if (FORMAT.test(c) && !formatAllowed(c, characters[index - 1], characters[index + 1])) {
        return refuse(
          "invisible",
          `${label} must not contain zero-width or other invisible formatting characters (such as U+200B, U+2060 or U+00AD); U+200C and U+200D only within a script or an emoji sequence that joins with them.`,
        );
      }
      if (!seenBase && MARK.test(c)) {
        return refuse(
          "no_base",
          `${label} must have a letter or another character before its first combining mark (such as an accent).`,
        );
      }
      if (BASE.test(c)) seenBase = true;
    }
    return verdict;
  }

  /**
   * Cleans a name from the user pool (sign-up attributes), which must never
   * fail a sign-up: what Text.strip drops, then the formatting characters and
   * leading marks the rule refuses, then shortened to MAX_LENGTH code points
   * without splitting a grapheme. Returns undefined when nothing valid is left.
   */
  export function clean(input: unknown): string | undefined {
    if (typeof input !== "string") return undefined;
    const shortened = Text.shorten(dropRefused(Text.strip(input)), MAX_LENGTH);
    // Without Intl.Segmenter, shortening can cut an emoji sequence right after its ZWJ.
    const verdict = check(dropRefused(shortened));
    return verdict.ok ? verdict.value : undefined;
  }

  /** Drops each character `check` would refuse for its place, judged against what is kept. */
  function dropRefused(value: string): string {
    const characters = Array.from(value);
    const kept: string[] = [];
    let seenBase = false;
    for (const [index, c] of characters.entries()) {
      if (FORMAT.test(c) && !formatAllowed(c, kept.at(-1), characters[index + 1])) continue;
      if (!seenBase && MARK.test(c)) continue;
      if (BASE.test(c)) seenBase = true;
      kept.push(c);
    }
    return Text.normalize(kept.join(""));
  }

  function refuse(problem: Problem, message: string): Verdict {
    return { ok: false, problem, message };
  }
}
