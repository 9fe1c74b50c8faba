import {
  AdminConfirmSignUpCommand,
  AdminUpdateUserAttributesCommand,
  ConfirmSignUpCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import type { Target } from "./target";

export const PASSWORD = "Sup3r-Secret!";

let counter = 0;
export function uniqueEmail(prefix = "user") {
  counter += 1;
  return `${prefix}.${process.pid}.${Date.now()}.${counter}@example.com`;
}

export interface Mail {
  to: string;
  kind: "signup" | "resend" | "forgot-password";
  code: string;
  sentAt: string;
}

/** Reads the local mailbox over HTTP, as a person or script would. */
export async function mailFor(target: Target, email: string): Promise<Mail[]> {
  if (!target.mailboxUrl) throw new Error("This target has no mailbox");
  const response = await fetch(`${target.mailboxUrl}/${encodeURIComponent(email)}`);
  if (!response.ok) throw new Error(`Mailbox answered ${response.status}`);
  return (await response.json()) as Mail[];
}

export async function latestCode(target: Target, email: string, kind?: Mail["kind"]) {
  const mail = (await mailFor(target, email)).filter((m) => !kind || m.kind === kind);
  const code = mail.at(-1)?.code;
  if (!code) throw new Error(`No ${kind ?? ""} code was sent to ${email}`);
  return code;
}

export async function signUp(target: Target, email: string, names: Record<string, string> = {}) {
  const result = await target.cognito.send(
    new SignUpCommand({
      ClientId: target.userPoolClientId,
      Username: email,
      Password: PASSWORD,
      UserAttributes: [
        { Name: "email", Value: email },
        ...Object.entries(names).map(([Name, Value]) => ({ Name, Value })),
      ],
    }),
  );
  target.created.add(result.UserSub as string);
  return result.UserSub as string;
}

/**
 * Confirms with the emailed code. A deployed pool's email cannot be read
 * here, so there an admin confirms instead: the trigger fires the same way
 * (PostConfirmation_ConfirmSignUp). AdminConfirmSignUp does not verify the
 * address, so the admin then marks it verified, leaving the user as a
 * confirmation with the code would (tokens say email_verified, a password
 * reset can be sent).
 */
export async function confirm(target: Target, email: string) {
  if (target.kind === "deployed") {
    await target.cognito.send(
      new AdminConfirmSignUpCommand({ UserPoolId: target.userPoolId, Username: email }),
    );
    await target.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: target.userPoolId,
        Username: email,
        UserAttributes: [
          { Name: "email", Value: email },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    );
    return;
  }
  await target.cognito.send(
    new ConfirmSignUpCommand({
      ClientId: target.userPoolClientId,
      Username: email,
      ConfirmationCode: await latestCode(target, email, "signup"),
    }),
  );
}

export async function signUpAndConfirm(
  target: Target,
  email: string,
  names: Record<string, string> = {},
) {
  const sub = await signUp(target, email, names);
  await confirm(target, email);
  return sub;
}

export async function rawItem(target: Target, userId: string) {
  const { Item } = await target.dynamodb.send(
    new GetItemCommand({
      TableName: target.usersTable,
      Key: { UserID: { S: userId } },
      ConsistentRead: true,
    }),
  );
  return Item;
}

export async function api(
  target: Target,
  method: string,
  path: string,
  options: { token?: string; body?: string; headers?: Record<string, string> } = {},
) {
  const response = await fetch(`${target.apiUrl}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
  };
}

/** The error name a promise rejects with. */
export async function errorName(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return (error as Error).name;
  }
  return "no error";
}
