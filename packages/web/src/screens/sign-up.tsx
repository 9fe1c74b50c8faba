import { type FormEvent, useState } from "react";
import { auth } from "../amplify";
import { describeAuthError } from "../auth-errors";
import { Screen } from "../components/screen";
import {
  EmailField,
  Field,
  LinkButton,
  Message,
  type Notice,
  PasswordField,
  PasswordRules,
  Submit,
} from "../components/ui";
import { errorNotice } from "../error-notice";
import {
  checkPassword,
  type FieldDraft,
  fieldError,
  normalizeEmail,
  SIGN_UP_FIELDS,
  signUpAttributes,
  signUpError,
} from "../forms";
import type { Navigate } from "../routes";
import { useAction } from "../use-action";

export function SignUp({
  go,
  initialEmail = "",
  signInWithSession = false,
}: {
  go: Navigate;
  initialEmail?: string;
  /**
   * Sign in right after the code is entered with the Session ConfirmSignUp
   * returns (USER_AUTH), instead of with the password typed here.
   */
  signInWithSession?: boolean;
}) {
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState("");
  const [draft, setDraft] = useState<FieldDraft>({});
  const [notice, setNotice] = useState<Notice>();
  const checks = checkPassword(password);

  const submit = useAction(async () => {
    const input = { ...draft, email, password };
    const invalid = signUpError(input);
    if (invalid) return setNotice({ tone: "error", text: invalid });
    setNotice(undefined);
    const username = normalizeEmail(email);
    try {
      const { signUp } = await auth();
      const { isSignUpComplete, nextStep } = await signUp({
        username,
        password,
        options: {
          userAttributes: signUpAttributes(input),
          ...(signInWithSession ? { autoSignIn: { authFlowType: "USER_AUTH" as const } } : {}),
        },
      });
      if (isSignUpComplete || nextStep.signUpStep === "DONE") {
        return go({
          name: "sign-in",
          email: username,
          notice: { tone: "success", text: "Your account is ready. Sign in to continue." },
        });
      }
      go({ name: "confirm", email: username, password });
    } catch (error) {
      setNotice(
        errorNotice(describeAuthError(error, "sign-up"), {
          go,
          email: username,
          retry: () => void submit.run(),
        }),
      );
    }
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit.run();
  };

  return (
    <Screen
      title="Create your account"
      intro="It takes a minute. We'll email you a code to confirm it's you."
      links={
        <span>
          Already have an account?{" "}
          <LinkButton onClick={() => go({ name: "sign-in", email: normalizeEmail(email) })}>
            Sign in
          </LinkButton>
        </span>
      }
    >
      <form noValidate onSubmit={onSubmit} aria-busy={submit.pending}>
        <EmailField value={email} onValueChange={setEmail} readOnly={submit.pending} />
        <PasswordField
          label="Password"
          name="new-password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          readOnly={submit.pending}
          required
          hint={<PasswordRules checks={checks} />}
        />
        <div className="row">
          {SIGN_UP_FIELDS.map((field) => (
            <Field
              key={field.key}
              label={field.label}
              optional
              name={field.autoComplete ?? field.key}
              autoComplete={field.autoComplete ?? "off"}
              value={draft[field.key] ?? ""}
              aria-invalid={fieldError(field, draft[field.key] ?? "") !== undefined}
              onChange={(e) => {
                const { value } = e.target;
                setDraft((current) => ({ ...current, [field.key]: value }));
              }}
              readOnly={submit.pending}
            />
          ))}
        </div>
        <Message notice={notice} pending={submit.pending} />
        <Submit pending={submit.pending}>Sign up</Submit>
      </form>
    </Screen>
  );
}
