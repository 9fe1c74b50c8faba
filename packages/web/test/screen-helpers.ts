import { fireEvent, screen } from "@testing-library/react";
import type * as auth from "aws-amplify/auth";

/** The screens' tests drive them by label and by name, as a person does. */
export const named = (name: string) => Object.assign(new Error(name), { name });
export const type = (label: string, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
export const click = (name: string) => fireEvent.click(screen.getByRole("button", { name }));
export const alertText = () => screen.getByRole("alert").textContent;

export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

export const signedIn = { isSignedIn: true, nextStep: { signInStep: "DONE" } } as Awaited<
  ReturnType<typeof auth.signIn>
>;
