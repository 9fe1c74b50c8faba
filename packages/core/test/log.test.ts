import { describe, expect, it } from "vitest";
import { errorFields } from "../src/log";

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
