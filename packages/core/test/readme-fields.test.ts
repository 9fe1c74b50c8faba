import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ProfileFields } from "../src/profile-fields";

const README = new URL("../../../README.md", import.meta.url);
const START = "<!-- profile-fields:start -->";
const END = "<!-- profile-fields:end -->";

const HEADER = [
  "Field (JSON)",
  "Table attribute",
  "From the user pool",
  "Rule",
  "`PATCH /me`",
  "Web label",
];

/** The README's rows for the definition, cell by cell. */
function expectedRows(fields: readonly ProfileFields.Definition[]): string[][] {
  return fields.map((field) => [
    `\`${field.key}\``,
    `\`${field.attribute}\``,
    field.poolAttribute ? `\`${field.poolAttribute}\`` : "—",
    field.rule.description,
    field.editable ? "editable" : "read-only",
    field.label,
  ]);
}

/** A Markdown table laid out as the README's formatter lays it out. */
function table(rows: string[][]): string {
  const all = [HEADER, ...rows];
  const widths = HEADER.map((_, i) => Math.max(...all.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(HEADER), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function readmeRows(): string[][] {
  const text = readFileSync(README, "utf8");
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  expect(start, `README.md lacks ${START}`).toBeGreaterThanOrEqual(0);
  return text
    .slice(start + START.length, end)
    .trim()
    .split("\n")
    .slice(2)
    .map((line) =>
      line
        .replace(/^\||\|$/g, "")
        .split("|")
        .map((cell) => cell.trim()),
    );
}

describe("README's profile field table", () => {
  it("is the definition's: paste the table this test prints when they disagree", () => {
    const expected = expectedRows(ProfileFields.all);
    const actual = readmeRows();
    expect(actual, `README.md should hold:\n${table(expected)}\n`).toEqual(expected);
  });
});
