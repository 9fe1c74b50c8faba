import { type FormEvent, useState } from "react";
import { auth } from "../amplify";
import { describeAuthError, sessionEnded } from "../auth-errors";
import { BackToProfile } from "../components/links";
import { Screen } from "../components/screen";
import { Field, Message, type Notice, Submit } from "../components/ui";
import { emailError, normalizeEmail } from "../forms";
import type { Navigate } from "../routes";
import { useAction } from "../use-action";

/**
 * The first step of an email change: the pool sends a code to the new
 * address. Until that code is entered, the account keeps its current email
 * (the pool verifies an email before updating it).
 */
export function ChangeEmail({
  go,
  onSessionExpired,
}: {
  go: Navigate;
  onSessionExpired: () => void;
}) {
  const [email, setEmail] = useState("");
  const [notice, setNotice] = useState<Notice>();
  const address = normalizeEmail(email);

  const change = useAction(async () => {
    const invalid = emailError(email);
    if (invalid) return setNotice({ tone: "error", text: invalid });
    setNotice(undefined);
    try {
      const { updateUserAttribute } = await auth();
      const { nextStep } = await updateUserAttribute({
        userAttribute: { attributeKey: "email", value: address },
      });
      if (nextStep.updateAttributeStep === "DONE") {
        return go({
          name: "profile",
          notice: { tone: "success", text: `Your email is now ${address}.` },
        });
      }
    } catch (error) {
      if (sessionEnded(error)) return onSessionExpired();
      return setNotice({ tone: "error", text: describeAuthError(error, "change-email").message });
    }
    go({
      name: "verify-email",
      email: address,
      notice: { tone: "info", text: `We sent a code to ${address}.` },
    });
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void change.run();
  };

  return (
    <Screen
      title="Change email"
      intro="We'll send a code to the new address. Until you enter it, you keep signing in with your current email."
      links={<BackToProfile go={go} />}
    >
      <form noValidate onSubmit={onSubmit} aria-busy={change.pending}>
        <Field
          label="New email"
          type="email"
          name="email"
          autoComplete="email"
          inputMode="email"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          readOnly={change.pending}
          required
        />
        <Message notice={notice} pending={change.pending} />
        <Submit pending={change.pending}>Change email</Submit>
      </form>
    </Screen>
  );
}
