import { describe, expect, it } from "vitest";
import { VisibleError } from "../src/error";

describe("VisibleError", () => {
  it("names itself in stack traces and carries its kind, code and message", () => {
    const error = new VisibleError("input", "invalid_name", "The name is empty.");
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).toBe("VisibleError: The name is empty.");
    expect(error.stack?.split("\n")[0]).toBe("VisibleError: The name is empty.");
    expect({ kind: error.kind, code: error.code }).toEqual({
      kind: "input",
      code: "invalid_name",
    });
  });
});
