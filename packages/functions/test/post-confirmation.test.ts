import { ProvisionedThroughputExceededException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { Name } from "@userprofile/core/name";
import { Profile } from "@userprofile/core/profile";
import { useLocalDynamoDB } from "@userprofile/core/testing/env";
import { captureLogs } from "@userprofile/core/testing/logs";
import { anyName, satisfiesRule } from "@userprofile/core/testing/name-arbitrary";
import { activeProfile } from "@userprofile/core/testing/profiles";
import fc from "fast-check";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { postConfirmationOutcomes } from "../src/definitions";
import { postConfirmationEvent } from "./events";

const { client, tableName } = useLocalDynamoDB();
const store = Profile.store(tableName, client);
let handler: typeof import("../src/cognito/post-confirmation").handler;
/** What Cognito shows the user when the trigger fails: no details. */
const FAILURE_MESSAGE =
  "Your account is confirmed, but your profile could not be saved yet. Sign in to continue.";

beforeAll(async () => {
  ({ handler } = await import("../src/cognito/post-confirmation"));
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("post-confirmation trigger", () => {
  it("writes the profile on sign-up confirmation and returns the event", async () => {
    const event = postConfirmationEvent({
      userAttributes: { given_name: "Grace", family_name: "Hopper" },
    });
    expect(await handler(event)).toBe(event);
    expect(await activeProfile(store, event.request.userAttributes.sub as string)).toMatchObject({
      email: "grace@example.com",
      firstName: "Grace",
      lastName: "Hopper",
    });
  });

  it("works with email and password only (no names)", async () => {
    const event = postConfirmationEvent();
    await handler(event);
    expect(await activeProfile(store, event.request.userAttributes.sub as string)).toMatchObject({
      firstName: null,
      lastName: null,
    });
  });

  it("treats a retried invocation as success and keeps the first CreatedAt", async () => {
    const event = postConfirmationEvent({ userAttributes: { given_name: "Grace" } });
    await handler(event);
    const first = await activeProfile(store, event.request.userAttributes.sub as string);
    const retried = postConfirmationEvent({
      userAttributes: { sub: event.request.userAttributes.sub as string, given_name: "Changed" },
    });
    expect(await handler(retried)).toBe(retried);
    expect(await activeProfile(store, event.request.userAttributes.sub as string)).toEqual(first);
  });

  it("does not write on a password reset", async () => {
    const event = postConfirmationEvent({
      triggerSource: "PostConfirmation_ConfirmForgotPassword",
    });
    expect(await handler(event)).toBe(event);
    expect(await activeProfile(store, event.request.userAttributes.sub as string)).toBeNull();
  });

  it("does not touch an existing profile on a password reset", async () => {
    const signUp = postConfirmationEvent({ userAttributes: { given_name: "Kept" } });
    await handler(signUp);
    const before = await activeProfile(store, signUp.request.userAttributes.sub as string);
    const send = vi.spyOn(DynamoDBDocumentClient.prototype, "send");
    await handler(
      postConfirmationEvent({
        triggerSource: "PostConfirmation_ConfirmForgotPassword",
        userAttributes: { sub: signUp.request.userAttributes.sub as string },
      }),
    );
    expect(send).not.toHaveBeenCalled();
    expect(await activeProfile(store, signUp.request.userAttributes.sub as string)).toEqual(before);
  });

  it("fails with a generic message and a structured log without personal data", async () => {
    vi.spyOn(DynamoDBDocumentClient.prototype, "send").mockRejectedValue(
      new ProvisionedThroughputExceededException({
        message: "Rate exceeded for grace@example.com",
        $metadata: { httpStatusCode: 400, requestId: "REQ123" },
      }),
    );
    const logs = captureLogs();
    const event = postConfirmationEvent({
      userAttributes: { given_name: "Grace", family_name: "Hopper" },
    });
    try {
      await expect(handler(event)).rejects.toThrow(FAILURE_MESSAGE);
    } finally {
      logs.restore();
    }
    const line = JSON.parse(logs.lines.at(-1) ?? "{}");
    expect(line).toMatchObject({
      level: "error",
      message: "profile write failed",
      userId: event.request.userAttributes.sub,
      errorName: "ProvisionedThroughputExceededException",
      awsRequestId: "REQ123",
    });
    const all = logs.lines.join("\n");
    expect(all).not.toContain("grace@example.com");
    expect(all).not.toContain("Grace");
    expect(all).not.toContain("Hopper");
  });

  it("logs each invocation's outcome as a top-level field, as CloudWatch's metric filters read it", async () => {
    const signUp = postConfirmationEvent({
      userAttributes: { given_name: "Grace", family_name: "Hopper" },
    });
    const reset = postConfirmationEvent({
      triggerSource: "PostConfirmation_ConfirmForgotPassword",
      userAttributes: { sub: signUp.request.userAttributes.sub as string },
    });
    const logs = captureLogs();
    try {
      await handler(signUp);
      await handler(signUp);
      await handler(reset);
    } finally {
      logs.restore();
    }
    const lines = logs.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      {
        level: "info",
        message: "post confirmation",
        outcome: "created",
        userId: signUp.request.userAttributes.sub,
        userPoolId: signUp.userPoolId,
      },
      {
        level: "info",
        message: "post confirmation",
        outcome: "already-existed",
        userId: signUp.request.userAttributes.sub,
        userPoolId: signUp.userPoolId,
      },
      {
        level: "info",
        message: "post confirmation",
        outcome: "skipped",
        triggerSource: "PostConfirmation_ConfirmForgotPassword",
      },
    ]);
    // Infra makes one metric filter per outcome in this list.
    expect(lines.map((line) => line.outcome).sort()).toEqual([...postConfirmationOutcomes].sort());
    const all = logs.lines.join("\n");
    expect(all).not.toContain("grace@example.com");
    expect(all).not.toContain("Grace");
  });

  it.each([
    ["an email", { email: "" }],
    ["a sub", { sub: "" }],
  ])("fails cleanly, saying why, when the event lacks %s", async (_, missing) => {
    const event = postConfirmationEvent({ userAttributes: missing });
    const logs = captureLogs();
    try {
      await expect(handler(event)).rejects.toThrow(FAILURE_MESSAGE);
    } finally {
      logs.restore();
    }
    expect(JSON.parse(logs.lines.at(-1) ?? "{}")).toMatchObject({
      level: "error",
      message: "profile write failed",
      errorMessage: "Event lacks sub or email",
    });
    const userId = event.request.userAttributes.sub;
    if (userId) expect(await activeProfile(store, userId)).toBeNull();
  });

  it("cleans names instead of failing the sign-up: no control, bidi or half an emoji is stored", async () => {
    const event = postConfirmationEvent({
      userAttributes: { given_name: "\u202eAda\u0000", family_name: `${"x".repeat(49)}😀😀` },
    });
    expect(await handler(event)).toBe(event);
    expect(await activeProfile(store, event.request.userAttributes.sub as string)).toMatchObject({
      firstName: "Ada",
      lastName: `${"x".repeat(49)}😀`,
    });
  });

  it("for any names from the pool, confirms the sign-up and stores only names that satisfy the rule", async () => {
    const logs = captureLogs();
    try {
      await fc.assert(
        fc.asyncProperty(anyName, anyName, async (givenName, familyName) => {
          const event = postConfirmationEvent({
            userAttributes: { given_name: givenName, family_name: familyName },
          });
          expect(await handler(event)).toBe(event);
          const profile = await activeProfile(store, event.request.userAttributes.sub as string);
          expect(profile?.firstName ?? undefined).toBe(Name.clean(givenName));
          expect(profile?.lastName ?? undefined).toBe(Name.clean(familyName));
          for (const name of [profile?.firstName, profile?.lastName]) {
            if (name !== null && name !== undefined) expect(satisfiesRule(name)).toBe(true);
          }
          // What the API would accept as typed is stored exactly as the API would store it.
          const verdict = Name.check(givenName);
          if (verdict.ok) expect(profile?.firstName).toBe(verdict.value);
        }),
        { numRuns: 100 },
      );
    } finally {
      logs.restore();
    }
  }, 60_000);
});
