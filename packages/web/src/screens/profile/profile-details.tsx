import type { FormEvent } from "react";
import type { Profile } from "../../api";
import { Field, Message, type Notice, Submit } from "../../components/ui";
import { memberSince, nameError } from "../../forms";

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
    </dl>
  );
}

export interface NamesDraft {
  firstName: string;
  lastName: string;
  setFirstName: (value: string) => void;
  setLastName: (value: string) => void;
}

/** The names form: each name checked by the API's own rule as it is typed. */
export function NamesForm({
  names,
  notice,
  busy,
  saving,
  onSave,
}: {
  names: NamesDraft;
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
        <Field
          label="First name"
          name="given-name"
          autoComplete="given-name"
          value={names.firstName}
          aria-invalid={nameError("First name", names.firstName) !== undefined}
          onChange={(e) => names.setFirstName(e.target.value)}
          readOnly={busy}
        />
        <Field
          label="Last name"
          name="family-name"
          autoComplete="family-name"
          value={names.lastName}
          aria-invalid={nameError("Last name", names.lastName) !== undefined}
          onChange={(e) => names.setLastName(e.target.value)}
          readOnly={busy}
        />
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
