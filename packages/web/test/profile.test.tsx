import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import * as auth from "aws-amplify/auth";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { auth as loadAuth } from "../src/amplify";
import { type ApiClient, ApiError, type Profile as ProfileInfo } from "../src/api";
import { Profile } from "../src/screens/profile";
import type { SignOutResult } from "../src/session";

vi.mock("aws-amplify/auth", () => ({ signOut: vi.fn(async () => {}) }));

// Amplify is a chunk of its own, loaded on first use: loaded once here, not inside a timed wait.
beforeAll(() => loadAuth());

const profile: ProfileInfo = {
  userId: "u1",
  email: "ada@example.com",
  firstName: "Ada",
  lastName: null,
  createdAt: "2025-03-04T10:00:00.000Z",
  updatedAt: "2025-03-04T10:00:00.000Z",
};

function setup(
  api: Partial<ApiClient>,
  endSession = vi.fn(
    async (_options: { revoke: boolean; everywhere?: boolean }): Promise<SignOutResult> =>
      "signed-out",
  ),
) {
  const handlers = {
    go: vi.fn(),
    onSignedOut: vi.fn(),
    onSessionExpired: vi.fn(),
    onDeleted: vi.fn(),
    endSession,
  };
  const client: ApiClient = {
    getProfile: vi.fn(async () => profile),
    updateProfile: vi.fn(),
    deleteAccount: vi.fn(async () => {}),
    syncEmail: vi.fn(async () => profile),
    ...api,
  };
  render(<Profile api={client} apiUrl="https://api.example.com" {...handlers} />);
  return { client, ...handlers };
}

describe("profile", () => {
  it("shows the API's profile and says where it came from", async () => {
    setup({});
    expect(await screen.findByText("ada@example.com")).toBeTruthy();
    expect(screen.getByText(/GET \/me/).closest("p")?.textContent).toMatch(
      /api\.example\.com.*Authorization: Bearer/,
    );
    expect((screen.getByLabelText("First name") as HTMLInputElement).value).toBe("Ada");
    expect((screen.getByLabelText("Last name") as HTMLInputElement).value).toBe("");
  });

  it("saves only what changed with one button", async () => {
    const updateProfile = vi.fn(async () => ({ ...profile, lastName: "Lovelace" }));
    setup({ updateProfile });
    await screen.findByText("ada@example.com");
    fireEvent.change(screen.getByLabelText("Last name"), { target: { value: "Lovelace" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.getByRole("status").textContent).toBe("Saved."));
    expect(updateProfile).toHaveBeenCalledWith({ lastName: "Lovelace" });
  });

  it("refuses a name the API would refuse without sending it", async () => {
    const { client } = setup({});
    await screen.findByText("ada@example.com");
    fireEvent.change(screen.getByLabelText("First name"), { target: { value: "Ada\u0000" } });
    expect(screen.getByLabelText("First name").getAttribute("aria-invalid")).toBe("true");
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() =>
      expect(screen.getByRole("alert").textContent).toBe(
        "First name must not contain control characters or line breaks.",
      ),
    );
    expect(client.updateProfile).not.toHaveBeenCalled();
  });

  it("offers a retry when the API is down", async () => {
    const getProfile = vi
      .fn<ApiClient["getProfile"]>()
      .mockRejectedValueOnce(new ApiError("network", "Can't reach the profile API."))
      .mockResolvedValueOnce(profile);
    setup({ getProfile });
    expect((await screen.findByRole("alert")).textContent).toMatch(/Can't reach/);
    fireEvent.click(screen.getByRole("button", { name: "Retry" }));
    expect(await screen.findByText("ada@example.com")).toBeTruthy();
  });

  it("sends an expired session back to sign-in", async () => {
    const { onSessionExpired } = setup({
      getProfile: async () => {
        throw new ApiError("session", "expired");
      },
    });
    await waitFor(() => expect(onSessionExpired).toHaveBeenCalled());
  });

  it("deletes the account only after an explicit confirmation", async () => {
    const { client, onDeleted } = setup({});
    await screen.findByText("ada@example.com");
    fireEvent.click(screen.getByRole("button", { name: "Delete account" }));
    expect(client.deleteAccount).not.toHaveBeenCalled();
    expect(document.activeElement?.textContent).toBe("Cancel");
    fireEvent.click(screen.getByRole("button", { name: "Yes, delete my account" }));
    await waitFor(() => expect(onDeleted).toHaveBeenCalled());
    expect(client.deleteAccount).toHaveBeenCalledTimes(1);
    expect(vi.mocked(auth.signOut)).toHaveBeenCalled();
  });

  it("signs out by revoking the session, then leaves", async () => {
    const { endSession, onSignedOut } = setup({});
    await screen.findByText("ada@example.com");
    fireEvent.click(screen.getByRole("button", { name: "Sign out" }));
    await waitFor(() => expect(onSignedOut).toHaveBeenCalled());
    expect(endSession).toHaveBeenCalledWith({ revoke: true });
  });

  it("says so when the session can't be revoked, and lets the person retry or sign out here only", async () => {
    const endSession = vi
      .fn(async (_options: { revoke: boolean }): Promise<SignOutResult> => "signed-out")
      .mockResolvedValueOnce("unreachable")
      .mockResolvedValueOnce("unreachable");
    const { onSignedOut } = setup({}, endSession);
    await screen.findByText("ada@example.com");
    fireEvent.click(screen.getByRole("button", { name: "Sign out" }));
    const alert = await screen.findByRole("alert");
    await waitFor(() => expect(alert.textContent).toMatch(/still signed in.*can't be reached/));
    expect(onSignedOut).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(endSession).toHaveBeenCalledTimes(2));
    expect(endSession).toHaveBeenLastCalledWith({ revoke: true });
    await screen.findByRole("button", { name: "Sign out on this device only" });
    expect(onSignedOut).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole("button", { name: "Sign out on this device only" }));
    await waitFor(() => expect(onSignedOut).toHaveBeenCalled());
    expect(endSession).toHaveBeenLastCalledWith({ revoke: false });
  });

  it("stays signed in and says so when clearing the session fails", async () => {
    const endSession = vi.fn(async (): Promise<SignOutResult> => "failed");
    const { onSignedOut } = setup({}, endSession);
    await screen.findByText("ada@example.com");
    fireEvent.click(screen.getByRole("button", { name: "Sign out" }));
    await waitFor(() =>
      expect(screen.getByRole("alert").textContent).toMatch(/still signed in: signing out failed/),
    );
    expect(onSignedOut).not.toHaveBeenCalled();
    expect(screen.queryByRole("button", { name: "Sign out on this device only" })).toBeNull();
  });

  it("can sign out while the profile failed to load, and shows why it couldn't", async () => {
    const endSession = vi.fn(async (): Promise<SignOutResult> => "unreachable");
    setup(
      {
        getProfile: vi
          .fn()
          .mockRejectedValue(new ApiError("network", "Can't reach the profile API.")),
      },
      endSession,
    );
    await screen.findByRole("button", { name: "Retry" });
    fireEvent.click(screen.getByRole("button", { name: "Sign out" }));
    await screen.findByRole("button", { name: "Sign out on this device only" });
    const alerts = screen.getAllByRole("alert").map((a) => a.textContent);
    expect(alerts.some((text) => /still signed in/.test(text ?? ""))).toBe(true);
  });
});
