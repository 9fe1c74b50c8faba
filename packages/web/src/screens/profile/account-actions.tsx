import { useEffect, useRef, useState } from "react";
import { ActionButton } from "../../components/ui";

/**
 * Sign out, and Delete account behind a confirmation that takes the focus
 * (Cancel first) and gives it back to Delete account when dismissed.
 */
export function AccountActions({
  busy,
  signingOut,
  deleting,
  onSignOut,
  onDelete,
}: {
  busy: boolean;
  signingOut: boolean;
  deleting: boolean;
  onSignOut: () => void;
  onDelete: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (confirming) cancel.current?.focus();
  }, [confirming]);

  return (
    <>
      <div className="actions">
        <ActionButton disabled={busy} pending={signingOut} onClick={onSignOut}>
          Sign out
        </ActionButton>
        <button
          ref={deleteButton}
          type="button"
          className="danger-link"
          aria-expanded={confirming}
          aria-controls="delete-confirmation"
          aria-disabled={busy}
          onClick={() => {
            if (busy) return;
            if (confirming) cancel.current?.focus();
            else setConfirming(true);
          }}
        >
          Delete account
        </button>
      </div>
      {confirming ? (
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
              ref={cancel}
              type="button"
              className="secondary"
              aria-disabled={deleting}
              onClick={() => {
                if (deleting) return;
                setConfirming(false);
                setTimeout(() => deleteButton.current?.focus());
              }}
            >
              Cancel
            </button>
            <ActionButton
              className="danger-button"
              disabled={busy}
              pending={deleting}
              onClick={onDelete}
            >
              Yes, delete my account
            </ActionButton>
          </div>
        </section>
      ) : null}
    </>
  );
}
