import fc from "fast-check";

/** Characters that break naive name handling, mixed into the generated strings. */
const TRICKY = [
  "\u0000",
  "\u0007",
  "\t",
  "\n",
  "\r",
  "\u001b",
  "\u007f",
  "\u0085",
  "\u009f",
  "\u00a0",
  "\u00ad",
  "\u061c",
  "\u180e",
  "\u200b",
  "\u200c",
  "\u200d",
  "\u200e",
  "\u200f",
  "\u2028",
  "\u2029",
  "\u202a",
  "\u202e",
  "\u2060",
  "\u2066",
  "\u2069",
  "\u2800",
  "\u3000",
  "\u3164",
  "\ufe0f",
  "\ufeff",
  "\ufffd",
  "\ud800",
  "\udbff",
  "\udc00",
  "\udfff",
  "\u0301",
  "\u0308",
  "e\u0301",
  "\u0958",
  "\u1100\u1161",
  "😀",
  "👩‍👩‍👧",
  "🇫🇷",
  "🏴󠁧󠁢󠁳󠁣󠁴󠁿",
  "❤️",
  " ",
  "Ada",
  "Zoë",
  "Ñandú",
  "محمد",
  "山田",
  "\u00ad",
  "\u034f",
  "\u094d",
  "\u0d4d",
  "\u180e",
  "\u2061",
  "\u{e0067}",
  "\u{e007f}",
  "\u{1f3f4}",
  "\u{1f3fd}",
  "حسین\u200cزاده",
  "क्\u200dष",
  "ශ්\u200dරී",
  "കൃഷ്ണന്\u200d",
  "ᠬᠠᠷ\u180eᠠ",
  "👨🏽\u200d💻",
  "🏳️\u200d🌈",
  "A\u200dda",
];

/** Any string, weighted towards the characters and lengths (around 50) that matter here. */
export const anyName = fc.oneof(
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.string({ unit: "grapheme", maxLength: 60 }),
  fc
    .array(
      fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...TRICKY) },
        { weight: 2, arbitrary: fc.string({ unit: "grapheme-ascii", maxLength: 8 }) },
        { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 3 }) },
      ),
      { maxLength: 70 },
    )
    .map((parts) => parts.join("")),
);

const BIDI_CONTROLS = [
  0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
];

/**
 * The rule, written out independently of the implementation: what a stored
 * name must satisfy.
 */
export function satisfiesRule(value: string): boolean {
  // Node 20 has String.prototype.isWellFormed; TypeScript's ES2023 lib does not list it.
  if (!(value as string & { isWellFormed(): boolean }).isWellFormed()) return false;
  if (value !== value.normalize("NFC")) return false;
  if (value !== value.trim() || /^[\s\u0085\u200b]|[\s\u0085\u200b]$/u.test(value)) return false;
  const codePoints = Array.from(value, (c) => c.codePointAt(0) as number);
  if (codePoints.length < 1 || codePoints.length > 50) return false;
  for (const code of codePoints) {
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return false;
    if (code === 0x2028 || code === 0x2029) return false;
    if (BIDI_CONTROLS.includes(code)) return false;
  }
  if (!/[^\s\p{Default_Ignorable_Code_Point}\p{Cf}\u2800]/u.test(value)) return false;
  return joinersInPlace(value) && markAfterBase(value);
}

const JOINING_SCRIPTS = [
  "Arabic",
  "Syriac",
  "Nko",
  "Mongolian",
  "Adlam",
  "Hanifi_Rohingya",
  "Devanagari",
  "Bengali",
  "Gurmukhi",
  "Gujarati",
  "Oriya",
  "Tamil",
  "Telugu",
  "Kannada",
  "Malayalam",
  "Sinhala",
  "Myanmar",
  "Khmer",
];
const joiningLetter = `(?:(?=[\\p{L}\\p{M}])[${JOINING_SCRIPTS.map((s) => `\\p{Script_Extensions=${s}}`).join("")}])`;
const IN_SCRIPT = new RegExp(`(?<=${joiningLetter})[\\u200c\\u200d\\u180e]`, "gu");
const IN_EMOJI =
  /(?<=\p{Extended_Pictographic}|\p{Emoji_Modifier}|\ufe0f)\u200d(?=\p{Extended_Pictographic})/gu;
const IN_FLAG = /(?<=\u{1f3f4}[\u{e0020}-\u{e007f}]*)[\u{e0020}-\u{e007f}]/gu;

/** No format character (Cf) but joiners in a joining script or an emoji sequence, and a flag's tags. */
function joinersInPlace(value: string): boolean {
  return !/\p{Cf}/u.test(value.replace(IN_SCRIPT, "").replace(IN_EMOJI, "").replace(IN_FLAG, ""));
}

/** A visible character that is not a combining mark comes before the first combining mark. */
function markAfterBase(value: string): boolean {
  const firstMark = value.search(/\p{M}/u);
  if (firstMark < 0) return true;
  return /(?![\p{Default_Ignorable_Code_Point}\u2800])[\p{L}\p{N}\p{P}\p{S}\p{Co}\p{Cn}]/u.test(
    value.slice(0, firstMark),
  );
}
