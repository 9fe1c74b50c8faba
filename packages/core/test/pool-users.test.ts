import { randomUUID } from "node:crypto";
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  type UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import { type Harness, startHarness } from "@userprofile/local/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PoolUsers } from "../src/pool-users";
import { attributesFor } from "./profiles";

let h: Harness;
const created = new Map<string, string>();

beforeAll(async () => {
  h = await startHarness();
  for (let i = 0; i < 65; i += 1) {
    const email = `pool-users.${i}.${randomUUID()}@example.com`;
    const result = await h.client.send(
      new AdminCreateUserCommand({
        UserPoolId: h.pool.userPoolId,
        Username: email,
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: email },
          { Name: "email_verified", Value: i % 2 === 0 ? "true" : "false" },
          ...Object.entries(
            attributesFor({ firstName: `Given${i}`, lastName: i === 0 ? "Family" : undefined }),
          ).map(([Name, Value]) => ({ Name, Value })),
          { Name: "locale", Value: "fr" },
        ],
      }),
    );
    const sub = result.User?.Attributes?.find((a) => a.Name === "sub")?.Value as string;
    created.set(sub, email);
  }
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

describe("PoolUsers.pages", () => {
  it("follows PaginationToken through pages of at most 60 users, with only the attributes it needs", async () => {
    const sizes: number[] = [];
    const users: PoolUsers.User[] = [];
    for await (const page of PoolUsers.pages(h.client, h.pool.userPoolId)) {
      sizes.push(page.length);
      users.push(...page);
    }
    expect(sizes).toEqual([60, 5]);
    expect(new Set(users.map((u) => u.userId))).toEqual(new Set(created.keys()));
    const first = users.find((u) => created.get(u.userId)?.startsWith("pool-users.0."));
    expect(first).toEqual({
      userId: expect.any(String),
      status: "FORCE_CHANGE_PASSWORD",
      email: created.get(first?.userId ?? ""),
      emailVerified: true,
      attributes: attributesFor({ firstName: "Given0", lastName: "Family" }),
    });
    expect(Object.keys(first?.attributes ?? {})).toHaveLength(2);
    expect(users.filter((u) => u.emailVerified)).toHaveLength(33);
  });

  it("stops when aborted", async () => {
    const interrupt = new AbortController();
    interrupt.abort();
    const pages = PoolUsers.pages(h.client, h.pool.userPoolId, { signal: interrupt.signal });
    await expect(pages.next()).rejects.toThrow();
  });

  it("reads an answer without a Users list as an empty page, not as a user", async () => {
    // The SDK types Users as optional; this client answers every call without it.
    const answersWithoutUsers = Object.assign(Object.create(h.client), {
      send: async () => ({}),
    }) as typeof h.client;
    const pages: PoolUsers.User[][] = [];
    for await (const page of PoolUsers.pages(answersWithoutUsers, h.pool.userPoolId)) {
      pages.push(page);
    }
    expect(pages).toEqual([[]]);
  });
});

describe("PoolUsers.pages, given users with odd records", () => {
  /** One ListUsers page as the pool could answer it, with no further page. */
  async function read(users: UserType[]) {
    vi.spyOn(h.client, "send").mockResolvedValueOnce({ Users: users } as never);
    const read: PoolUsers.User[] = [];
    for await (const page of PoolUsers.pages(h.client, h.pool.userPoolId)) read.push(...page);
    vi.restoreAllMocks();
    return read;
  }

  it("reads the sub, the status and the verified flag; an empty email is no email", async () => {
    expect(
      await read([
        {
          Username: "fallback-username",
          UserStatus: "CONFIRMED",
          Attributes: [
            { Name: "email", Value: "" },
            { Name: "email_verified", Value: "false" },
          ],
        },
        {},
        { Username: "name", Attributes: [{ Name: "sub", Value: "the-sub" }] },
      ]),
    ).toEqual([
      {
        userId: "fallback-username",
        status: "CONFIRMED",
        email: undefined,
        emailVerified: false,
        attributes: {},
      },
      { userId: "", status: "UNKNOWN", email: undefined, emailVerified: false, attributes: {} },
      expect.objectContaining({ userId: "the-sub" }),
    ]);
  });
});

describe("PoolUsers.exists", () => {
  it("is true for a user of the pool and false once the user is deleted", async () => {
    const [sub] = [...created.keys()];
    expect(await PoolUsers.exists(h.client, h.pool.userPoolId, sub as string)).toBe(true);
    await h.client.send(
      new AdminDeleteUserCommand({ UserPoolId: h.pool.userPoolId, Username: sub as string }),
    );
    expect(await PoolUsers.exists(h.client, h.pool.userPoolId, sub as string)).toBe(false);
  });

  it("stops when aborted", async () => {
    const interrupt = new AbortController();
    interrupt.abort();
    await expect(
      PoolUsers.exists(h.client, h.pool.userPoolId, randomUUID(), { signal: interrupt.signal }),
    ).rejects.toThrow();
  });

  it("passes on any other error", async () => {
    await expect(PoolUsers.exists(h.client, "eu-west-3_missing", randomUUID())).rejects.toThrow();
  });
});
