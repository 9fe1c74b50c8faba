import { useCallback, useEffect, useState } from "react";
import { auth } from "../../amplify";
import { type ApiClient, ApiError, type Profile } from "../../api";
import type { Notice } from "../../components/ui";
import { draftError, EDITABLE_FIELDS, type FieldDraft, fieldOf, profileChanges } from "../../forms";
import type { SignOutResult } from "../../session";
import { useAction } from "../../use-action";

export type ProfileLoad =
  | { state: "loading" }
  | { state: "ready"; profile: Profile }
  | { state: "failed"; error: ApiError };

export interface ProfileHandlers {
  api: ApiClient;
  /** Revokes the session (unless told not to; every session with `everywhere`) and clears it from this device. */
  endSession: (options: { revoke: boolean; everywhere?: boolean }) => Promise<SignOutResult>;
  onSignedOut: (everywhere?: boolean) => void;
  onSessionExpired: () => void;
  onDeleted: () => void;
}

const asApiError = (error: unknown) =>
  error instanceof ApiError
    ? error
    : new ApiError("server", "Something went wrong. Please try again.");

const STILL_SIGNED_IN_UNREACHABLE =
  "You're still signed in: the sign-in service can't be reached to end your session. Check your connection and try again.";

/**
 * The profile page's state and actions: the profile loaded from `GET /me`,
 * the fields being edited, and saving, deleting the account and signing out,
 * one at a time. An expired session ends in `onSessionExpired` whatever
 * action finds it.
 */
export function useProfile(
  { api, endSession, onSignedOut, onSessionExpired, onDeleted }: ProfileHandlers,
  initialNotice?: Notice,
) {
  const [load, setLoad] = useState<ProfileLoad>({ state: "loading" });
  const [values, setValues] = useState<FieldDraft>({});
  const set = useCallback(
    (key: string, value: string) => setValues((current) => ({ ...current, [key]: value })),
    [],
  );
  const [notice, setNotice] = useState<Notice | undefined>(initialNotice);

  const fail = useCallback(
    (error: unknown, retry: () => void) => {
      const apiError = asApiError(error);
      if (apiError.kind === "session") return onSessionExpired();
      setNotice({
        tone: "error",
        text: apiError.message,
        ...(apiError.kind === "network" || apiError.kind === "server"
          ? { action: { label: "Try again", onClick: retry } }
          : {}),
      });
    },
    [onSessionExpired],
  );

  const show = (profile: Profile) => {
    setValues(Object.fromEntries(EDITABLE_FIELDS.map((f) => [f.key, fieldOf(profile, f) ?? ""])));
    setLoad({ state: "ready", profile });
  };

  const reload = useAction(async () => {
    setLoad({ state: "loading" });
    try {
      show(await api.getProfile());
    } catch (error) {
      const apiError = asApiError(error);
      if (apiError.kind === "session") return onSessionExpired();
      setLoad({ state: "failed", error: apiError });
    }
  });

  const runReload = reload.run;
  useEffect(() => {
    void runReload();
  }, [runReload]);

  const save = useAction(async () => {
    if (load.state !== "ready") return;
    const invalid = draftError(EDITABLE_FIELDS, values);
    if (invalid) return setNotice({ tone: "error", text: invalid });
    const changes = profileChanges(load.profile, values);
    if (Object.keys(changes).length === 0) {
      return setNotice({ tone: "info", text: "No changes to save." });
    }
    setNotice(undefined);
    try {
      show(await api.updateProfile(changes));
      setNotice({ tone: "success", text: "Saved." });
    } catch (error) {
      fail(error, () => void save.run());
    }
  });

  const remove = useAction(async () => {
    setNotice(undefined);
    try {
      await api.deleteAccount();
    } catch (error) {
      return fail(error, () => void remove.run());
    }
    try {
      await (await auth()).signOut();
    } catch {}
    onDeleted();
  });

  const leave = useAction(async (revoke: boolean) => {
    setNotice(undefined);
    const result = await endSession({ revoke });
    if (result === "signed-out") return onSignedOut();
    const tryAgain = { label: "Try again", onClick: () => void leave.run(true) };
    setNotice(
      result === "unreachable"
        ? {
            tone: "error",
            text: STILL_SIGNED_IN_UNREACHABLE,
            action: tryAgain,
            alternative: {
              label: "Sign out on this device only",
              onClick: () => void leave.run(false),
            },
          }
        : { tone: "error", text: "You're still signed in: signing out failed.", action: tryAgain },
    );
  });

  const leaveEverywhere = useAction(async () => {
    setNotice(undefined);
    const result = await endSession({ revoke: true, everywhere: true });
    if (result === "signed-out") return onSignedOut(true);
    setNotice({
      tone: "error",
      text:
        result === "unreachable"
          ? "You're still signed in everywhere: the sign-in service can't be reached. Check your connection and try again."
          : "You're still signed in: signing out of all devices failed.",
      action: { label: "Try again", onClick: () => void leaveEverywhere.run() },
    });
  });

  return {
    load,
    leaveEverywhere,
    draft: { values, set },
    notice,
    reload,
    save,
    remove,
    leave,
    busy: save.pending || remove.pending || leave.pending || leaveEverywhere.pending,
  };
}
