import { Screen } from "../../components/screen";
import { ActionButton, Message, type Notice } from "../../components/ui";
import type { Navigate } from "../../routes";
import { AccountActions } from "./account-actions";
import { Facts, FieldsForm, Source } from "./profile-details";
import { Security } from "./security";
import { type ProfileHandlers, useProfile } from "./use-profile";

export function Profile({
  go,
  apiUrl,
  initialNotice,
  totpMfa,
  passkeys,
  ...handlers
}: ProfileHandlers & {
  go: Navigate;
  apiUrl: string;
  initialNotice?: Notice;
  totpMfa?: boolean;
  passkeys?: boolean;
}) {
  const { load, draft, notice, reload, save, remove, leave, leaveEverywhere, busy } = useProfile(
    handlers,
    initialNotice,
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
        <Source apiUrl={apiUrl} />
        {notice ? <Message notice={notice} pending={leave.pending} /> : null}
        <ActionButton
          disabled={leave.pending}
          pending={leave.pending}
          onClick={() => void leave.run(true)}
        >
          Sign out
        </ActionButton>
      </Screen>
    );
  }

  return (
    <Screen title="Your profile">
      <Facts profile={load.profile} />
      <Source apiUrl={apiUrl} />
      <FieldsForm
        draft={draft}
        notice={notice}
        busy={busy}
        saving={save.pending}
        onSave={() => void save.run()}
      />
      <Security
        go={go}
        totpMfa={totpMfa}
        passkeys={passkeys}
        busy={busy}
        signingOutEverywhere={leaveEverywhere.pending}
        onSignOutEverywhere={() => void leaveEverywhere.run()}
      />
      <AccountActions
        busy={busy}
        signingOut={leave.pending}
        deleting={remove.pending}
        onSignOut={() => void leave.run(true)}
        onDelete={() => void remove.run()}
      />
    </Screen>
  );
}
