import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import * as auth from "aws-amplify/auth";
import { describe, expect, it, vi } from "vitest";
import { type ApiClient, ApiError, type Profile as ProfileInfo } from "../src/api";
import { Profile } from "../src/screens/profile";

vi.mock("aws-amplify/auth", () => ({ signOut: vi.fn(async () => {}) }));

const profile: ProfileInfo = {
  userId: "u1",
  email: "ada@example.com",
  firstName: "Ada",
  lastName: null,
  createdAt: "2025-03-04T10:00:00.000Z",
  updatedAt: "2025-03-04T10:00:00.000Z",
};

function setup(api: Partial<ApiClient>) {
  const handlers = { onSignedOut: vi.fn(), onSessionExpired: vi.fn(), onDeleted: vi.fn() };
  const client: ApiClient = {
    getProfile: vi.fn(async () => profile),
    updateProfile: vi.fn(),
    deleteAccount: vi.fn(async () => {}),
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
});
