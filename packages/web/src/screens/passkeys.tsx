import { useCallback, useEffect, useState } from "react";
import { auth } from "../amplify";
import { describeAuthError, sessionEnded } from "../auth-errors";
import { BackToProfile } from "../components/links";
import { Screen } from "../components/screen";
import { ActionButton, Message, type Notice } from "../components/ui";
import * as passkeys from "../passkeys-auth";
import type { Navigate } from "../routes";
import { useAction } from "../use-action";

interface Passkey {
  id: string;
  name: string;
  createdAt?: Date;
}

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "long" });

/** Every passkey of the account (ListWebAuthnCredentials pages through them). */
async function listPasskeys(): Promise<Passkey[]> {
  await auth();
  const found: Passkey[] = [];
  let nextToken: string | undefined;
  do {
    const page = await passkeys.listWebAuthnCredentials(nextToken ? { nextToken } : undefined);
    for (const credential of page.credentials) {
      if (!credential.credentialId) continue;
      found.push({
        id: credential.credentialId,
        name: credential.friendlyCredentialName || "Passkey",
        ...(credential.createdAt ? { createdAt: credential.createdAt } : {}),
      });
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return found;
}

/** Add a passkey (this device's authenticator), see them with their names and dates, remove one. */
export function Passkeys({ go, onSessionExpired }: { go: Navigate; onSessionExpired: () => void }) {
  const [list, setList] = useState<Passkey[] | undefined>();
  const [notice, setNotice] = useState<Notice>();
  const [removing, setRemoving] = useState<string>();

  const fail = useCallback(
    (error: unknown) => {
      if (sessionEnded(error)) return onSessionExpired();
      setNotice({ tone: "error", text: describeAuthError(error, "passkeys").message });
    },
    [onSessionExpired],
  );

  const reload = useAction(async () => {
    try {
      setList(await listPasskeys());
    } catch (error) {
      fail(error);
    }
  });
  const runReload = reload.run;
  useEffect(() => {
    void runReload();
  }, [runReload]);

  const add = useAction(async () => {
    setNotice(undefined);
    try {
      await auth();
      await passkeys.associateWebAuthnCredential();
    } catch (error) {
      return fail(error);
    }
    await reload.run();
    setNotice({ tone: "success", text: "Passkey added. You can sign in with it now." });
  });

  const remove = useAction(async (passkey: Passkey) => {
    setRemoving(passkey.id);
    setNotice(undefined);
    try {
      await auth();
      await passkeys.deleteWebAuthnCredential({ credentialId: passkey.id });
    } catch (error) {
      return fail(error);
    }
    await reload.run();
    setNotice({ tone: "success", text: `${passkey.name} was removed.` });
  });

  const busy = add.pending || remove.pending;
  return (
    <Screen
      title="Passkeys"
      intro="A passkey signs you in with this device's fingerprint, face or screen lock, without a password."
      links={<BackToProfile go={go} />}
    >
      {list === undefined ? (
        <p className="muted" aria-busy="true">
          Loading your passkeys…
        </p>
      ) : list.length === 0 ? (
        <p className="muted">You have no passkeys yet.</p>
      ) : (
        <ul className="security-list" aria-label="Your passkeys">
          {list.map((passkey) => (
            <li key={passkey.id}>
              <div>
                <h2 id={`passkey-${passkey.id}`} className="passkey-name">
                  {passkey.name}
                </h2>
                {passkey.createdAt ? (
                  <p className="muted">
                    Added{" "}
                    <time dateTime={passkey.createdAt.toISOString()}>
                      {dateFormat.format(passkey.createdAt)}
                    </time>
                  </p>
                ) : null}
              </div>
              <ActionButton
                disabled={busy}
                pending={remove.pending && removing === passkey.id}
                onClick={() => void remove.run(passkey)}
                aria-describedby={`passkey-${passkey.id}`}
              >
                Remove
              </ActionButton>
            </li>
          ))}
        </ul>
      )}
      <Message notice={notice} pending={busy} />
      <ActionButton
        className="primary"
        disabled={busy}
        pending={add.pending}
        onClick={() => void add.run()}
      >
        Add a passkey
      </ActionButton>
    </Screen>
  );
}
