import { signOut } from "aws-amplify/auth";
import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import { type ApiClient, ApiError, type Profile as ProfileInfo } from "../api";
import { Screen } from "../components/screen";
import { Field, Message, type Notice, Submit } from "../components/ui";
import {
  draftError,
  EDITABLE_FIELDS,
  type FieldDraft,
  fieldError,
  fieldOf,
  memberSince,
  profileChanges,
  READ_ONLY_FIELDS,
} from "../forms";
import type { SignOutResult } from "../session";
import { useAction } from "../use-action";

type Load =
  | { state: "loading" }
  | { state: "ready"; profile: ProfileInfo }
  | { state: "failed"; error: ApiError };

const asApiError = (error: unknown) =>
  error instanceof ApiError
    ? error
    : new ApiError("server", "Something went wrong. Please try again.");

export function Profile({
  api,
  apiUrl,
  initialNotice,
  endSession,
  onSignedOut,
  onSessionExpired,
  onDeleted,
}: {
  api: ApiClient;
  apiUrl: string;
  initialNotice?: Notice;
  /** Revokes the session (unless told not to) and clears it from this device. */
  endSession: (options: { revoke: boolean }) => Promise<SignOutResult>;
  onSignedOut: () => void;
  onSessionExpired: () => void;
  onDeleted: () => void;
}) {
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [draft, setDraft] = useState<FieldDraft>({});
  const [notice, setNotice] = useState<Notice | undefined>(initialNotice);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const cancelDelete = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);

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

  const show = (profile: ProfileInfo) => {
    setDraft(Object.fromEntries(EDITABLE_FIELDS.map((f) => [f.key, fieldOf(profile, f) ?? ""])));
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
    const invalid = draftError(EDITABLE_FIELDS, draft);
    if (invalid) return setNotice({ tone: "error", text: invalid });
    const changes = profileChanges(load.profile, draft);
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
      await signOut();
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
            text: "You're still signed in: the sign-in service can't be reached to end your session. Check your connection and try again.",
            action: tryAgain,
            alternative: {
              label: "Sign out on this device only",
              onClick: () => void leave.run(false),
            },
          }
        : { tone: "error", text: "You're still signed in: signing out failed.", action: tryAgain },
    );
  });

  useEffect(() => {
    if (confirmingDelete) cancelDelete.current?.focus();
  }, [confirmingDelete]);

  const busy = save.pending || remove.pending || leave.pending;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy) void save.run();
  };

  const source = (
    <p className="source">
      Loaded from <code>GET /me</code> on {hostOf(apiUrl)}, sent with your ID token as{" "}
      <code>Authorization: Bearer …</code> — not read from the token's claims.
    </p>
  );

  if (load.state !== "ready") {
    return (
      <Screen title="Your profile">
        {load.state === "loading" ? (
          <div className="skeleton" aria-busy="true">
            <p className="muted">Loading your profile…</p>
          </div>
        ) : (
          <div className="skeleton">
            <div role="alert" className="message error">
              <span>{load.error.message}</span>
            </div>
            <button type="button" className="primary" onClick={() => void reload.run()}>
              Retry
            </button>
          </div>
        )}
        {source}
        {notice ? <Message notice={notice} pending={leave.pending} /> : null}
        <button
          type="button"
          className="secondary"
          aria-disabled={leave.pending}
          data-pending={leave.pending}
          onClick={() => void leave.run(true)}
        >
          <span className="spinner" aria-hidden="true" />
          Sign out
        </button>
      </Screen>
    );
  }

  const { profile } = load;
  return (
    <Screen title="Your profile">
      <dl className="facts">
        <div>
          <dt>Email</dt>
          <dd data-testid="profile-email">{profile.email}</dd>
        </div>
        <div>
          <dt>Member since</dt>
          <dd>
            <time dateTime={profile.createdAt}>{memberSince(profile.createdAt)}</time>
          </dd>
        </div>
        {READ_ONLY_FIELDS.map((field) => (
          <div key={field.key}>
            <dt>{field.label}</dt>
            <dd>{fieldOf(profile, field) ?? "—"}</dd>
          </div>
        ))}
      </dl>
      {source}
      <form noValidate onSubmit={onSubmit} aria-busy={save.pending}>
        <div className="row">
          {EDITABLE_FIELDS.map((field) => (
            <Field
              key={field.key}
              label={field.label}
              name={field.autoComplete ?? field.key}
              autoComplete={field.autoComplete ?? "off"}
              value={draft[field.key] ?? ""}
              aria-invalid={fieldError(field, draft[field.key] ?? "") !== undefined}
              onChange={(e) => {
                const { value } = e.target;
                setDraft((current) => ({ ...current, [field.key]: value }));
              }}
              readOnly={busy}
            />
          ))}
        </div>
        <Message notice={notice} pending={busy} />
        <Submit pending={save.pending}>Save</Submit>
      </form>
      <div className="actions">
        <button
          type="button"
          className="secondary"
          aria-disabled={busy}
          data-pending={leave.pending}
          onClick={() => {
            if (!busy) void leave.run(true);
          }}
        >
          <span className="spinner" aria-hidden="true" />
          Sign out
        </button>
        <button
          ref={deleteButton}
          type="button"
          className="danger-link"
          aria-expanded={confirmingDelete}
          aria-controls="delete-confirmation"
          aria-disabled={busy}
          onClick={() => {
            if (busy) return;
            if (confirmingDelete) cancelDelete.current?.focus();
            else setConfirmingDelete(true);
          }}
        >
          Delete account
        </button>
      </div>
      {confirmingDelete ? (
        <section
          id="delete-confirmation"
          className="danger"
          aria-labelledby="delete-title"
          aria-describedby="delete-text"
        >
          <h2 id="delete-title">Delete your account?</h2>
          <p id="delete-text">
            This permanently deletes your sign-in and your profile. It can't be undone.
          </p>
          <div className="danger-actions">
            <button
              ref={cancelDelete}
              type="button"
              className="secondary"
              aria-disabled={remove.pending}
              onClick={() => {
                if (remove.pending) return;
                setConfirmingDelete(false);
                setTimeout(() => deleteButton.current?.focus());
              }}
            >
              Cancel
            </button>
            <button
              type="button"
              className="danger-button"
              aria-disabled={busy}
              data-pending={remove.pending}
              onClick={() => {
                if (!busy) void remove.run();
              }}
            >
              <span className="spinner" aria-hidden="true" />
              Yes, delete my account
            </button>
          </div>
        </section>
      ) : null}
    </Screen>
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
