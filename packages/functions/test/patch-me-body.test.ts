import { randomUUID } from "node:crypto";
import { Profile } from "@userprofile/core/profile";
import { useLocalDynamoDB } from "@userprofile/core/testing/env";
import { newProfile } from "@userprofile/core/testing/profiles";
import { beforeAll, describe, expect, it } from "vitest";
import type { ApiEvent, ApiResult } from "../src/api/http";
import { apiEvent } from "./events";

/** How PATCH /me reads its body: encodings, size and content types. */
const { client, tableName } = useLocalDynamoDB();
process.env.SST_RESOURCE_UserPool = JSON.stringify({ id: "us-east-1_unused" });
const store = Profile.store(tableName, client);
let patchMe: (event: ApiEvent) => Promise<ApiResult>;

beforeAll(async () => {
  patchMe = (await import("../src/api/patch-me")).handler;
});

async function existingUser() {
  const userId = randomUUID();
  await Profile.create(store, newProfile(userId, "me@example.com"));
  return userId;
}

const bodyOf = (result: ApiResult) => JSON.parse(result.body as string);

describe("PATCH /me's body", () => {
  it("accepts a base64-encoded body", async () => {
    const userId = await existingUser();
    const result = await patchMe(
      apiEvent("PATCH /me", {
        sub: userId,
        base64: true,
        body: Buffer.from(JSON.stringify({ lastName: "Base" })).toString("base64"),
      }),
    );
    expect(bodyOf(result)).toMatchObject({ lastName: "Base" });
  });

  it("takes 4 KiB of body (4096 bytes) and refuses one byte more", async () => {
    const userId = await existingUser();
    const json = JSON.stringify({ firstName: "Padded" });
    const padded = (bytes: number) => json + " ".repeat(bytes - json.length);
    const atLimit = await patchMe(apiEvent("PATCH /me", { sub: userId, body: padded(4096) }));
    expect(atLimit.statusCode).toBe(200);
    const over = await patchMe(apiEvent("PATCH /me", { sub: userId, body: padded(4097) }));
    expect(bodyOf(over).error.code).toBe("body_too_large");
  });

  it("accepts a body sent without a content type", async () => {
    const userId = await existingUser();
    const event = apiEvent("PATCH /me", {
      sub: userId,
      body: JSON.stringify({ lastName: "Bare" }),
    });
    event.headers = {};
    expect(bodyOf(await patchMe(event))).toMatchObject({ lastName: "Bare" });
  });

  it.each([
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=utf8",
    "Application/JSON;charset=UTF-8",
    'application/json; charset="utf-8"',
    "application/merge-patch+json",
    "application/vnd.api+json; charset=utf-8",
    "application/json; profile=https://example.com/profile",
    "application/json ; charset=utf-8",
    "application/json; charset= utf-8",
  ])("accepts content type %s", async (contentType) => {
    const userId = await existingUser();
    const result = await patchMe(
      apiEvent("PATCH /me", {
        sub: userId,
        body: JSON.stringify({ firstName: "Typed" }),
        headers: { "content-type": contentType },
      }),
    );
    expect(result.statusCode).toBe(200);
  });

  it.each([
    "application/json-seq",
    "application/jsonx",
    "application/json+xml",
    "text/json",
    "application/x-www-form-urlencoded",
    "application/json; charset=xutf-8",
    "application/json; charset=utf-8x",
  ])("refuses content type %s", async (contentType) => {
    const result = await patchMe(
      apiEvent("PATCH /me", {
        sub: await existingUser(),
        body: JSON.stringify({ firstName: "Typed" }),
        headers: { "content-type": contentType },
      }),
    );
    expect(bodyOf(result).error.code).toBe("unsupported_media_type");
  });

  it("reads the content type by its name, wherever it is among the headers", async () => {
    const userId = await existingUser();
    const withHeaders = (headers: Record<string, string>) => {
      const event = apiEvent("PATCH /me", { sub: userId, body: JSON.stringify({ lastName: "H" }) });
      event.headers = headers;
      return patchMe(event);
    };
    const accepted = await withHeaders({ accept: "text/html", "Content-Type": "application/json" });
    expect(accepted.statusCode).toBe(200);
    const refused = await withHeaders({
      "x-note": "application/json",
      "content-type": "text/plain",
    });
    expect(bodyOf(refused).error.code).toBe("unsupported_media_type");
  });
});
