import { afterEach, describe, expect, it, vi } from "vitest";
import { errorFields, log } from "../src/log";

describe("log", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  // Lambda's JSON log format keeps a JSON line written to stdout as it is; through console.*
  // the same line would arrive as a string inside Lambda's own `message` field.
  it("writes one JSON object per line to stdout, its fields at the top level", () => {
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const console = vi.spyOn(globalThis.console, "info");
    log.info("post confirmation", { outcome: "created", userId: "u-1", absent: undefined });
    expect(stdout).toHaveBeenCalledTimes(1);
    const written = String(stdout.mock.calls[0]?.[0]);
    expect(written.endsWith("\n")).toBe(true);
    expect(written.trimEnd()).not.toContain("\n");
    expect(JSON.parse(written)).toEqual({
      level: "info",
      message: "post confirmation",
      outcome: "created",
      userId: "u-1",
    });
    expect(console).not.toHaveBeenCalled();
  });

  it("writes warnings and errors to stderr with their level", () => {
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    log.warn("slow", { ms: 900 });
    log.error("failed", { errorName: "TypeError" });
    expect(stderr.mock.calls.map((call) => JSON.parse(String(call[0])))).toEqual([
      { level: "warn", message: "slow", ms: 900 },
      { level: "error", message: "failed", errorName: "TypeError" },
    ]);
  });
});

describe("errorFields", () => {
  it("keeps an AWS error's name, code and request id but not its message, which may echo input", () => {
    const error = Object.assign(new Error("Item {Email: ada@example.com} is invalid"), {
      name: "ValidationException",
      code: "ECONNREFUSED",
      $metadata: { httpStatusCode: 400, requestId: "REQ1" },
    });
    expect(errorFields(error)).toEqual({
      errorName: "ValidationException",
      errorCode: "ECONNREFUSED",
      httpStatusCode: 400,
      awsRequestId: "REQ1",
    });
  });

  it("keeps a programming error's message", () => {
    expect(errorFields(new TypeError("x is not a function"))).toEqual({
      errorName: "TypeError",
      errorMessage: "x is not a function",
    });
  });
});
