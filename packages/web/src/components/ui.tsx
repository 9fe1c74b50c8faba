import {
  type ButtonHTMLAttributes,
  type InputHTMLAttributes,
  type ReactNode,
  useId,
  useState,
} from "react";
import type { Notice } from "../notice";

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id"> {
  label: string;
  hint?: ReactNode;
  optional?: boolean;
}

export function Field({ label, hint, optional, ...input }: FieldProps) {
  const id = useId();
  return (
    <div className="field">
      <div className="label-row">
        <label htmlFor={id}>{label}</label>
        {optional ? (
          <span id={`${id}-optional`} className="optional">
            Optional
          </span>
        ) : null}
      </div>
      <input
        id={id}
        aria-describedby={
          [optional ? `${id}-optional` : "", hint ? `${id}-hint` : ""].join(" ").trim() || undefined
        }
        {...input}
      />
      {hint ? (
        <div id={`${id}-hint`} className="hint">
          {hint}
        </div>
      ) : null}
    </div>
  );
}

/** The email every auth screen asks for; `autoComplete="username"` lets password managers pair it. */
export function EmailField({
  value,
  onValueChange,
  readOnly,
}: {
  value: string;
  onValueChange: (value: string) => void;
  readOnly: boolean;
}) {
  return (
    <Field
      label="Email"
      type="email"
      name="email"
      autoComplete="username"
      inputMode="email"
      value={value}
      onChange={(event) => onValueChange(event.target.value)}
      readOnly={readOnly}
      required
    />
  );
}

interface PasswordFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "type"> {
  label: string;
  hint?: ReactNode;
}

export function PasswordField({ label, hint, ...input }: PasswordFieldProps) {
  const id = useId();
  const [visible, setVisible] = useState(false);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="password">
        <input
          id={id}
          type={visible ? "text" : "password"}
          aria-describedby={hint ? `${id}-hint` : undefined}
          spellCheck={false}
          autoCapitalize="none"
          {...input}
        />
        <button
          type="button"
          className="toggle"
          aria-controls={id}
          aria-pressed={visible}
          aria-label={visible ? "Hide password" : "Show password"}
          onClick={() => setVisible((v) => !v)}
        >
          {visible ? "Hide" : "Show"}
        </button>
      </div>
      {hint ? (
        <div id={`${id}-hint`} className="hint">
          {hint}
        </div>
      ) : null}
    </div>
  );
}

/** The six-digit code the pool emails (sign-up, password reset, a new email, sign-in) or an authenticator app shows. */
export function CodeField({
  value,
  onValueChange,
  readOnly,
  label = "Confirmation code",
  hint,
}: {
  value: string;
  onValueChange: (value: string) => void;
  readOnly: boolean;
  label?: string;
  hint?: ReactNode;
}) {
  return (
    <Field
      label={label}
      hint={hint}
      name="code"
      autoComplete="one-time-code"
      inputMode="numeric"
      maxLength={10}
      value={value}
      onChange={(event) => onValueChange(event.target.value)}
      readOnly={readOnly}
      required
    />
  );
}

export function Submit({ pending, children }: { pending: boolean; children: ReactNode }) {
  return (
    <button type="submit" className="primary" aria-disabled={pending} data-pending={pending}>
      <span className="spinner" aria-hidden="true" />
      {children}
    </button>
  );
}

/**
 * A button that starts something slow (resend a code, sign out). It stays
 * focusable while it can't be used (`aria-disabled`), and ignores clicks then.
 */
export function ActionButton({
  onClick,
  disabled,
  pending,
  className = "secondary",
  children,
  ...rest
}: {
  onClick: () => void;
  disabled: boolean;
  pending: boolean;
  className?: string;
  children: ReactNode;
} & Omit<ButtonHTMLAttributes<HTMLButtonElement>, "onClick" | "disabled" | "className">) {
  return (
    <button
      type="button"
      {...rest}
      className={className}
      aria-disabled={disabled}
      data-pending={pending}
      onClick={() => {
        if (!disabled) onClick();
      }}
    >
      <span className="spinner" aria-hidden="true" />
      {children}
    </button>
  );
}

/** A button that looks like a link: what moves between screens within a flow. */
export function LinkButton({ onClick, children }: { onClick: () => void; children: ReactNode }) {
  return (
    <button type="button" className="link" onClick={onClick}>
      {children}
    </button>
  );
}

export type { Notice, NoticeAction } from "../notice";

/**
 * The message slot is always rendered and keeps its height, so a message
 * appearing doesn't push the form around; the live region exists before its
 * text does, which is what screen readers need to announce it.
 */
export function Message({ notice, pending }: { notice: Notice | undefined; pending?: boolean }) {
  const error = notice?.tone === "error" ? notice : undefined;
  const status = notice && notice.tone !== "error" ? notice : undefined;
  return (
    <div className="message-slot">
      <div role="alert" className={error ? "message error" : "message"}>
        {error ? <MessageBody notice={error} pending={pending} /> : null}
      </div>
      <div role="status" className={status ? `message ${status.tone}` : "message"}>
        {status ? <MessageBody notice={status} pending={pending} /> : null}
      </div>
    </div>
  );
}

function MessageBody({ notice, pending }: { notice: Notice; pending: boolean | undefined }) {
  return (
    <>
      <span>{notice.text}</span>
      {[notice.action, notice.alternative].map((action) =>
        action ? (
          <button
            key={action.label}
            type="button"
            className="link"
            aria-disabled={pending}
            onClick={() => {
              if (!pending) action.onClick();
            }}
          >
            {action.label}
          </button>
        ) : null,
      )}
    </>
  );
}

export function PasswordRules({
  checks,
}: {
  checks: { id: string; label: string; met: boolean }[];
}) {
  return (
    <ul className="rules" aria-label="Password rules">
      {checks.map((rule) => (
        <li key={rule.id} className={rule.met ? "met" : undefined}>
          <span aria-hidden="true">{rule.met ? "✓" : "•"}</span> {rule.label}
          <span className="sr-only">{rule.met ? " (met)" : " (not met yet)"}</span>
        </li>
      ))}
    </ul>
  );
}
