import type { Profile as CoreProfile } from "@userprofile/core/profile";

export type Profile = CoreProfile.Info;
export type ProfileChanges = CoreProfile.Changes;

export type ApiErrorKind = "network" | "session" | "input" | "not-found" | "server";

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Returns the current ID token, refreshed if `forceRefresh`; throws ApiError("session") when signed out. */
export type TokenSource = (forceRefresh: boolean) => Promise<string | undefined>;

export interface ApiClient {
  getProfile(): Promise<Profile>;
  updateProfile(changes: ProfileChanges): Promise<Profile>;
  deleteAccount(): Promise<void>;
  /** Copies the pool's newly verified email into the profile (POST /me/email-sync). */
  syncEmail(): Promise<Profile>;
}

const MESSAGES: Record<ApiErrorKind, string> = {
  network: "Can't reach the profile API. Check your connection and try again.",
  session: "Your session has expired. Please sign in again.",
  input: "The API refused this change.",
  "not-found": "Your profile wasn't found.",
  server: "The profile API had a problem. Please try again.",
};

export function createApiClient(
  apiUrl: string,
  token: TokenSource,
  fetchImpl: typeof fetch = (...args) => fetch(...args),
): ApiClient {
  async function bearer(forceRefresh: boolean): Promise<string> {
    let value: string | undefined;
    try {
      value = await token(forceRefresh);
    } catch (error) {
      if ((error as { name?: string }).name === "NetworkError") {
        throw new ApiError("network", MESSAGES.network);
      }
      throw new ApiError("session", MESSAGES.session);
    }
    if (!value) throw new ApiError("session", MESSAGES.session);
    return value;
  }

  async function send(
    method: string,
    path: string,
    body: unknown,
    forceRefresh: boolean,
  ): Promise<Response> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${await bearer(forceRefresh)}`,
    };
    if (body !== undefined) headers["content-type"] = "application/json";
    try {
      return await fetchImpl(`${apiUrl}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      throw new ApiError("network", MESSAGES.network);
    }
  }

  async function request(method: string, body?: unknown, path = "/me"): Promise<Response> {
    let response = await send(method, path, body, false);
    if (response.status === 401) response = await send(method, path, body, true);
    if (response.ok) return response;
    throw await toError(response);
  }

  return {
    async getProfile() {
      return (await (await request("GET")).json()) as Profile;
    },
    async updateProfile(changes) {
      return (await (await request("PATCH", changes)).json()) as Profile;
    },
    async deleteAccount() {
      await request("DELETE");
    },
    async syncEmail() {
      return (await (await request("POST", undefined, "/me/email-sync")).json()) as Profile;
    },
  };
}

async function toError(response: Response): Promise<ApiError> {
  const kind: ApiErrorKind =
    response.status === 401 || response.status === 403
      ? "session"
      : response.status === 404
        ? "not-found"
        : response.status >= 400 && response.status < 500
          ? "input"
          : "server";
  let detail: { code?: unknown; message?: unknown } | undefined;
  try {
    detail = ((await response.json()) as { error?: typeof detail }).error;
  } catch {}
  const message =
    kind === "input" && typeof detail?.message === "string" ? detail.message : MESSAGES[kind];
  return new ApiError(kind, message, typeof detail?.code === "string" ? detail.code : undefined);
}
