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
  return /[^\s\p{Default_Ignorable_Code_Point}\p{Cf}\u2800]/u.test(value);
}
