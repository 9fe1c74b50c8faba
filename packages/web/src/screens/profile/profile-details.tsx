import type { FormEvent } from "react";
import type { Profile } from "../../api";
import { Field, Message, type Notice, Submit } from "../../components/ui";
import {
  EDITABLE_FIELDS,
  type FieldDraft,
  fieldError,
  fieldOf,
  memberSince,
  READ_ONLY_FIELDS,
} from "../../forms";

/** Where the profile comes from, so the demo shows the whole loop. */
export function Source({ apiUrl }: { apiUrl: string }) {
  return (
    <p className="source">
      Loaded from <code>GET /me</code> on {hostOf(apiUrl)}, sent with your ID token as{" "}
      <code>Authorization: Bearer …</code> — not read from the token's claims.
    </p>
  );
}

export function Facts({ profile }: { profile: Profile }) {
  return (
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
  );
}

export interface FieldsDraft {
  values: FieldDraft;
  set: (key: string, value: string) => void;
}

/** The editable fields (profile-fields), each checked by the API's own rule as it is typed. */
export function FieldsForm({
  draft,
  notice,
  busy,
  saving,
  onSave,
}: {
  draft: FieldsDraft;
  notice: Notice | undefined;
  busy: boolean;
  saving: boolean;
  onSave: () => void;
}) {
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy) onSave();
  };
  return (
    <form noValidate onSubmit={onSubmit} aria-busy={saving}>
      <div className="row">
        {EDITABLE_FIELDS.map((field) => (
          <Field
            key={field.key}
            label={field.label}
            name={field.autoComplete ?? field.key}
            autoComplete={field.autoComplete ?? "off"}
            value={draft.values[field.key] ?? ""}
            aria-invalid={fieldError(field, draft.values[field.key] ?? "") !== undefined}
            onChange={(e) => draft.set(field.key, e.target.value)}
            readOnly={busy}
          />
        ))}
      </div>
      <Message notice={notice} pending={busy} />
      <Submit pending={saving}>Save</Submit>
    </form>
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
