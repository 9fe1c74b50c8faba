import { randomUUID } from "node:crypto";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { Name } from "@userprofile/core/name";
import { Profile } from "@userprofile/core/profile";
import { ProfileFields } from "@userprofile/core/profile-fields";
import { useLocalDynamoDB } from "@userprofile/core/testing/env";
import { captureLogs } from "@userprofile/core/testing/logs";
import { anyName, satisfiesRule } from "@userprofile/core/testing/name-arbitrary";
import { activeProfile, newProfile } from "@userprofile/core/testing/profiles";
import fc from "fast-check";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { ApiEvent, ApiResult } from "../src/api/http";
import { apiEvent } from "./events";

/** The editable fields a message lists: the shipped names first, then any an adopter adds. */
const EDITABLE = ProfileFields.editable.map((field) => field.key).join(", ");

const { client, tableName, rawItem } = useLocalDynamoDB();
process.env.SST_RESOURCE_UserPool = JSON.stringify({ id: "us-east-1_unused" });
const store = Profile.store(tableName, client);

type Handler = (event: ApiEvent) => Promise<ApiResult>;
let getMe: Handler;
let patchMe: Handler;

beforeAll(async () => {
  getMe = (await import("../src/api/get-me")).handler;
  patchMe = (await import("../src/api/patch-me")).handler;
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function existingUser(names: { firstName?: string; lastName?: string } = {}) {
  const userId = randomUUID();
  await Profile.create(store, newProfile(userId, "me@example.com", names));
  return userId;
}

const bodyOf = (result: ApiResult) => JSON.parse(result.body as string);

describe("GET /me", () => {
  it("returns the caller's profile, keyed by the verified sub", async () => {
    const userId = await existingUser({ firstName: "Ada" });
    const result = await getMe(apiEvent("GET /me", { sub: userId }));
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ "content-type": "application/json" });
    expect(bodyOf(result)).toMatchObject({
      userId,
      email: "me@example.com",
      firstName: "Ada",
      lastName: null,
    });
  });

  it("answers 401 in JSON when no verified subject reached the function", async () => {
    const result = await getMe(apiEvent("GET /me", { sub: null }));
    expect(result.statusCode).toBe(401);
    expect(bodyOf(result).error.code).toBe("unauthorized");
  });

  it("answers a generic 500 on a DynamoDB failure and logs no internals to the caller", async () => {
    vi.spyOn(DynamoDBDocumentClient.prototype, "send").mockRejectedValue(
      Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:443"), { name: "NetworkingError" }),
    );
    const logs = captureLogs();
    let result: ApiResult;
    try {
      result = await getMe(apiEvent("GET /me"));
    } finally {
      logs.restore();
    }
    expect(result.statusCode).toBe(500);
    expect(bodyOf(result)).toEqual({
      error: { code: "internal_error", message: "Something went wrong. Please try again." },
    });
    expect(JSON.parse(logs.lines.at(-1) ?? "{}")).toMatchObject({
      level: "error",
      message: "request failed",
      route: "GET /me",
      errorName: "NetworkingError",
    });
  });
});

describe("a deleted account", () => {
  it("answers GET and PATCH with 404 account_not_found while its marker stands", async () => {
    const userId = await existingUser({ firstName: "Gone" });
    const now = new Date();
    await Profile.markDeleted(store, userId, new Date(now.getTime() + 3600_000), now);
    const gone = {
      error: { code: "account_not_found", message: "This account no longer exists." },
    };
    const read = await getMe(apiEvent("GET /me", { sub: userId }));
    expect(read.statusCode).toBe(404);
    expect(bodyOf(read)).toEqual(gone);
    const write = await patchMe(
      apiEvent("PATCH /me", { sub: userId, body: JSON.stringify({ firstName: "Back" }) }),
    );
    expect(write.statusCode).toBe(404);
    expect(bodyOf(write)).toEqual(gone);
  });
});

describe("PATCH /me", () => {
  it("updates names, trims them and returns the new profile", async () => {
    const userId = await existingUser({ firstName: "Old", lastName: "Name" });
    const result = await patchMe(
      apiEvent("PATCH /me", {
        sub: userId,
        body: JSON.stringify({ firstName: "  Grace ", lastName: null }),
      }),
    );
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toMatchObject({ userId, firstName: "Grace", lastName: null });
    expect(await activeProfile(store, userId)).toMatchObject({
      firstName: "Grace",
      lastName: null,
    });
  });

  it.each([
    ["non-JSON", { body: "{not json" }, "invalid_json"],
    ["no body", {}, "missing_body"],
    [
      "a body over 4 KiB",
      { body: JSON.stringify({ firstName: "x".repeat(5000) }) },
      "body_too_large",
    ],
    [
      "a non-JSON content type",
      { body: JSON.stringify({ firstName: "A" }), headers: { "content-type": "text/plain" } },
      "unsupported_media_type",
    ],
    ["an unknown field", { body: JSON.stringify({ nickname: "x" }) }, "unknown_field"],
    ["another user's id", { body: JSON.stringify({ userId: "victim" }) }, "unknown_field"],
    ["a wrong type", { body: JSON.stringify({ firstName: 1 }) }, "invalid_type"],
    ["a name too long", { body: JSON.stringify({ firstName: "x".repeat(51) }) }, "invalid_name"],
    ["a NUL in a name", { body: JSON.stringify({ firstName: "Ada\u0000" }) }, "invalid_name"],
    ["a bidi override", { body: JSON.stringify({ lastName: "\u202eecalevoL" }) }, "invalid_name"],
    ["a zero-width space alone", { body: JSON.stringify({ firstName: "\u200b" }) }, "invalid_name"],
    [
      "a zero-width space inside",
      { body: JSON.stringify({ lastName: "Love\u200blace" }) },
      "invalid_name",
    ],
    [
      "combining marks only",
      { body: JSON.stringify({ firstName: "\u0301\u0308" }) },
      "invalid_name",
    ],
    ["a lone surrogate", { body: '{"firstName":"\\ud800"}' }, "invalid_name"],
    [
      "bytes that are not UTF-8",
      {
        base64: true,
        body: Buffer.concat([
          Buffer.from('{"firstName":"Ad'),
          Buffer.from([0xc3, 0x28]),
          Buffer.from('"}'),
        ]).toString("base64"),
      },
      "invalid_encoding",
    ],
    [
      "application/json-seq",
      {
        body: JSON.stringify({ firstName: "A" }),
        headers: { "content-type": "application/json-seq" },
      },
      "unsupported_media_type",
    ],
    [
      "a JSON body in another charset",
      {
        body: JSON.stringify({ firstName: "A" }),
        headers: { "content-type": "application/json; charset=iso-8859-1" },
      },
      "unsupported_media_type",
    ],
    ["an array", { body: "[]" }, "invalid_body"],
  ])("refuses %s with a 400 JSON error and changes nothing", async (_, options, code) => {
    const userId = await existingUser({ firstName: "Same" });
    const before = await rawItem(userId);
    const result = await patchMe(apiEvent("PATCH /me", { sub: userId, ...options }));
    expect(result.statusCode).toBe(400);
    expect(bodyOf(result)).toEqual({ error: { code, message: expect.any(String) } });
    expect(await rawItem(userId)).toEqual(before);
  });

  it.each([
    ["non-JSON", { body: "{not json" }, "The body is not valid JSON."],
    ["no body", {}, "A JSON body is required."],
    [
      "a body over 4 KiB",
      { body: JSON.stringify({ firstName: "x".repeat(5000) }) },
      "The body must be at most 4096 bytes.",
    ],
    [
      "a non-JSON content type",
      { body: "{}", headers: { "content-type": "text/plain" } },
      "Send the body as application/json (UTF-8).",
    ],
    [
      "bytes that are not UTF-8",
      { base64: true, body: Buffer.from([0x7b, 0xc3, 0x28, 0x7d]).toString("base64") },
      "The body is not valid UTF-8.",
    ],
    ["an array", { body: "[]" }, "The body must be a JSON object."],
    ["an empty object", { body: "{}" }, `Nothing to change. Editable fields: ${EDITABLE}.`],
    [
      "an unknown field",
      { body: JSON.stringify({ nickname: "x" }) },
      `Unknown field "nickname". Editable fields: ${EDITABLE}.`,
    ],
    [
      "an unknown field with a long name",
      { body: JSON.stringify({ [`${"n".repeat(45)}😀`]: "x" }) },
      `Unknown field "${"n".repeat(40)}". Editable fields: ${EDITABLE}.`,
    ],
    [
      "a wrong type",
      { body: JSON.stringify({ lastName: 1 }) },
      '"lastName" must be a string or null.',
    ],
    [
      "a name with a control character",
      { body: JSON.stringify({ firstName: "Ada\u0000" }) },
      '"firstName" must not contain control characters or line breaks. Send null to clear it.',
    ],
  ])("explains %s in a message a client can show", async (_, options, message) => {
    const result = await patchMe(apiEvent("PATCH /me", { sub: await existingUser(), ...options }));
    expect(result.statusCode).toBe(400);
    expect(bodyOf(result).error.message).toBe(message);
  });

  it("answers 401, not 500, when no authorizer ran or the subject is empty", async () => {
    const unauthorized = { error: { code: "unauthorized", message: "A valid token is required." } };
    const noAuthorizer = apiEvent("GET /me");
    delete (noAuthorizer.requestContext as { authorizer?: unknown }).authorizer;
    expect(bodyOf(await getMe(noAuthorizer))).toEqual(unauthorized);
    expect(bodyOf(await getMe(apiEvent("GET /me", { sub: "" })))).toEqual(unauthorized);
  });

  it("explains a missing token", async () => {
    const result = await getMe(apiEvent("GET /me", { sub: null }));
    expect(bodyOf(result)).toEqual({
      error: { code: "unauthorized", message: "A valid token is required." },
    });
  });

  it("for any name: a 400 invalid_name that changes nothing, or a stored value that satisfies the rule", async () => {
    const userId = await existingUser({ firstName: "Start" });
    await fc.assert(
      fc.asyncProperty(anyName, async (name) => {
        const before = await rawItem(userId);
        const result = await patchMe(
          apiEvent("PATCH /me", { sub: userId, body: JSON.stringify({ firstName: name }) }),
        );
        const verdict = Name.check(name);
        if (!verdict.ok) {
          expect(result.statusCode).toBe(400);
          expect(bodyOf(result).error.code).toBe("invalid_name");
          expect(await rawItem(userId)).toEqual(before);
          return;
        }
        expect(result.statusCode).toBe(200);
        const stored = (await rawItem(userId))?.firstName?.S;
        expect(stored).toBe(verdict.value);
        expect(satisfiesRule(stored as string)).toBe(true);
        expect(bodyOf(result).firstName).toBe(stored);
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});
