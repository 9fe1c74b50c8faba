import { type FormEvent, useState } from "react";
import { auth } from "../amplify";
import { describeAuthError, sessionEnded } from "../auth-errors";
import { BackToProfile } from "../components/links";
import { Screen } from "../components/screen";
import { Message, type Notice, PasswordField, PasswordRules, Submit } from "../components/ui";
import { checkPassword, isStrongPassword } from "../forms";
import type { Navigate } from "../routes";
import { useAction } from "../use-action";

export function ChangePassword({
  go,
  onSessionExpired,
}: {
  go: Navigate;
  onSessionExpired: () => void;
}) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [notice, setNotice] = useState<Notice>();

  const change = useAction(async () => {
    const invalid = !current
      ? "Enter your current password."
      : !isStrongPassword(next)
        ? "This password is too weak: it must meet every rule listed."
        : next === current
          ? "Choose a new password that differs from the current one."
          : undefined;
    if (invalid) return setNotice({ tone: "error", text: invalid });
    setNotice(undefined);
    try {
      const { updatePassword } = await auth();
      await updatePassword({ oldPassword: current, newPassword: next });
    } catch (error) {
      if (sessionEnded(error)) return onSessionExpired();
      return setNotice({
        tone: "error",
        text: describeAuthError(error, "change-password").message,
      });
    }
    go({ name: "profile", notice: { tone: "success", text: "Your password was changed." } });
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void change.run();
  };

  return (
    <Screen
      title="Change password"
      intro="Enter your current password, then choose a new one."
      links={<BackToProfile go={go} />}
    >
      <form noValidate onSubmit={onSubmit} aria-busy={change.pending}>
        <PasswordField
          label="Current password"
          name="current-password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          readOnly={change.pending}
          required
        />
        <PasswordField
          label="New password"
          name="new-password"
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
          readOnly={change.pending}
          required
          hint={<PasswordRules checks={checkPassword(next)} />}
        />
        <Message notice={notice} pending={change.pending} />
        <Submit pending={change.pending}>Change password</Submit>
      </form>
    </Screen>
  );
}
