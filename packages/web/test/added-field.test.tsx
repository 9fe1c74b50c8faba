import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import * as auth from "aws-amplify/auth";
import { describe, expect, it, vi } from "vitest";
import type { ApiClient, Profile as ProfileInfo } from "../src/api";
import { Profile } from "../src/screens/profile";
import { SignUp } from "../src/screens/sign-up";

vi.mock("aws-amplify/auth", () => ({ signUp: vi.fn(), signOut: vi.fn(async () => {}) }));

// The README's recipe: one field added to the definition, nothing else.
vi.mock("@userprofile/core/profile-fields/fields", async (importOriginal) => {
  const { fields } =
    await importOriginal<typeof import("@userprofile/core/profile-fields/fields")>();
  const { textRule } = await import("@userprofile/core/profile-fields/rules");
  const extra = (key: string, label: string, rest: object) => ({
    key,
    attribute: key,
    rule: textRule(30),
    label,
    ...rest,
  });
  return {
    fields: [
      ...fields,
      extra("tagline", "Tagline", { poolAttribute: "custom:tagline", editable: true }),
      extra("pronouns", "Pronouns", { editable: true }),
      extra("team", "Team", { poolAttribute: "custom:team", editable: false }),
    ],
  };
});

const type = (label: string, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe("a field added to the definition", () => {
  it("appears on sign-up when the pool holds it, and is sent under its pool attribute", async () => {
    vi.mocked(auth.signUp).mockResolvedValue({
      isSignUpComplete: false,
      nextStep: { signUpStep: "CONFIRM_SIGN_UP" },
    } as Awaited<ReturnType<typeof auth.signUp>>);
    render(<SignUp go={vi.fn()} />);
    expect(screen.queryByLabelText("Pronouns")).toBeNull();
    type("Email", "ada@example.com");
    type("Password", "Abcdef1!");
    type("Tagline", "x".repeat(31));
    fireEvent.click(screen.getByRole("button", { name: "Sign up" }));
    await waitFor(() =>
      expect(screen.getByRole("alert").textContent).toBe("Tagline must be at most 30 characters."),
    );
    type("Tagline", " Countess ");
    type("Team", "Engines");
    fireEvent.click(screen.getByRole("button", { name: "Sign up" }));
    await waitFor(() => expect(auth.signUp).toHaveBeenCalled());
    expect(vi.mocked(auth.signUp).mock.calls[0]?.[0].options?.userAttributes).toEqual({
      email: "ada@example.com",
      "custom:tagline": "Countess",
      "custom:team": "Engines",
    });
  });

  it("is edited on the profile screen when editable, and shown when it is not", async () => {
    const profile = {
      userId: "u1",
      email: "ada@example.com",
      firstName: "Ada",
      lastName: null,
      tagline: null,
      pronouns: "she/her",
      team: "Engines",
      createdAt: "2025-03-04T10:00:00.000Z",
      updatedAt: "2025-03-04T10:00:00.000Z",
    } as ProfileInfo;
    const updateProfile = vi.fn(async () => ({ ...profile, tagline: "Countess" }));
    const api: ApiClient = {
      getProfile: vi.fn(async () => profile),
      updateProfile,
      deleteAccount: vi.fn(async () => {}),
      syncEmail: vi.fn(),
    };
    render(
      <Profile
        go={vi.fn()}
        api={api}
        apiUrl="https://api.example.com"
        endSession={vi.fn(async () => "signed-out" as const)}
        onSignedOut={vi.fn()}
        onSessionExpired={vi.fn()}
        onDeleted={vi.fn()}
      />,
    );
    expect(((await screen.findByLabelText("Pronouns")) as HTMLInputElement).value).toBe("she/her");
    expect(screen.queryByLabelText("Team")).toBeNull();
    expect(screen.getByText("Team").nextElementSibling?.textContent).toBe("Engines");
    type("Tagline", "Countess");
    type("Pronouns", " ");
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.getByRole("status").textContent).toBe("Saved."));
    expect(updateProfile).toHaveBeenCalledWith({ tagline: "Countess", pronouns: null });
  });
});
