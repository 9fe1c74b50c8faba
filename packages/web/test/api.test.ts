import { describe, expect, it, vi } from "vitest";
import { ApiError, createApiClient } from "../src/api";

const profile = {
  userId: "u1",
  email: "ada@example.com",
  firstName: null,
  lastName: null,
  createdAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-01-01T00:00:00.000Z",
};

const json = (status: number, body?: unknown) =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });

describe("api client", () => {
  it("calls GET /me with the ID token as a bearer token", async () => {
    const fetchMock = vi.fn(async () => json(200, profile));
    const api = createApiClient("https://api.test", async () => "id-token", fetchMock);
    await expect(api.getProfile()).resolves.toEqual(profile);
    expect(fetchMock).toHaveBeenCalledWith("https://api.test/me", {
      method: "GET",
      headers: { authorization: "Bearer id-token" },
    });
  });

  it("sends PATCH changes as JSON", async () => {
    const fetchMock = vi.fn(async () => json(200, { ...profile, firstName: "Ada" }));
    const api = createApiClient("https://api.test", async () => "t", fetchMock);
    await api.updateProfile({ firstName: "Ada", lastName: null });
    expect(fetchMock).toHaveBeenCalledWith("https://api.test/me", {
      method: "PATCH",
      headers: { authorization: "Bearer t", "content-type": "application/json" },
      body: '{"firstName":"Ada","lastName":null}',
    });
  });

  it("asks POST /me/email-sync to copy a newly verified email into the profile", async () => {
    const fetchMock = vi.fn(async () => json(200, { ...profile, email: "new@example.com" }));
    const api = createApiClient("https://api.test", async () => "t", fetchMock);
    await expect(api.syncEmail()).resolves.toMatchObject({ email: "new@example.com" });
    expect(fetchMock).toHaveBeenCalledWith("https://api.test/me/email-sync", {
      method: "POST",
      headers: { authorization: "Bearer t" },
    });
  });

  it("retries a 401 once with refreshed tokens, then reports an expired session", async () => {
    const token = vi.fn(async (force: boolean) => (force ? "fresh" : "stale"));
    const fetchMock = vi
      .fn<typeof fetch>()
      .mockResolvedValueOnce(json(401, { message: "Unauthorized" }))
      .mockResolvedValueOnce(json(200, profile));
    const api = createApiClient("https://api.test", token, fetchMock);
    await expect(api.getProfile()).resolves.toEqual(profile);
    expect(token.mock.calls).toEqual([[false], [true]]);

    fetchMock.mockResolvedValue(json(401));
    await expect(api.getProfile()).rejects.toMatchObject({ kind: "session" });
  });

  it("reports a missing session without calling the API", async () => {
    const fetchMock = vi.fn<typeof fetch>();
    const api = createApiClient("https://api.test", async () => undefined, fetchMock);
    await expect(api.deleteAccount()).rejects.toMatchObject({ kind: "session" });
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("tells network failures from server and input errors", async () => {
    const down = createApiClient(
      "https://api.test",
      async () => "t",
      async () => {
        throw new TypeError("Failed to fetch");
      },
    );
    await expect(down.getProfile()).rejects.toMatchObject({ kind: "network" });

    const input = createApiClient(
      "https://api.test",
      async () => "t",
      async () =>
        json(400, {
          error: { code: "invalid_name", message: '"firstName" must be at most 50 characters.' },
        }),
    );
    const error = await input.updateProfile({ firstName: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: "input", code: "invalid_name" });

    const broken = createApiClient(
      "https://api.test",
      async () => "t",
      async () => json(500, { error: { code: "internal_error", message: "internal detail" } }),
    );
    await expect(broken.getProfile()).rejects.toMatchObject({
      kind: "server",
      message: "The profile API had a problem. Please try again.",
    });
  });
});
