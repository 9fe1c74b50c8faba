import { Reconcile } from "@userprofile/core/reconcile";
import type { Target } from "./target";

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);

/** A service's message can echo request values; an email must never reach the terminal. */
function redact(text: string): string {
  return text.replace(/[^\s"'<>()[\]{}:,;]+@[^\s"'<>()[\]{}:,;]+/g, "<redacted>");
}

function serviceOf(step: string | undefined, target: Target | undefined) {
  if (step === "scan-table") {
    return {
      name: `the Users table (${target?.usersTable ?? "?"})`,
      endpoint: target?.dynamodbEndpoint,
    };
  }
  if (step === "list-users") {
    return {
      name: `the user pool (${target?.userPoolId ?? "?"})`,
      endpoint: target?.cognitoEndpoint,
    };
  }
  return undefined;
}

/**
 * One line an operator can act on: which service, what went wrong, and for
 * an unreachable emulator, what to start. Never a stack trace.
 */
export function describeError(error: unknown, target?: Target): string {
  let step: string | undefined;
  let cause = error;
  if (error instanceof Reconcile.StepError) {
    step = error.step;
    cause = error.cause;
  }
  const service = serviceOf(step, target);
  const prefix = error instanceof Reconcile.StepError ? `${error.message}: ` : "";
  if (!(cause instanceof Error)) return `${prefix}${String(cause)}`;
  const code = (cause as { code?: string }).code;
  if ((code && NETWORK_CODES.has(code)) || cause.name === "TimeoutError") {
    const where = service?.endpoint ?? (target ? `AWS in ${target.region}` : "the service");
    const hint =
      target?.credentials === "local" ? " Is the local stack running (`pnpm dev:local`)?" : "";
    return `${prefix}cannot reach ${service?.name ?? "the service"} at ${where} (${code ?? cause.name}).${hint}`;
  }
  if (cause.name === "CredentialsProviderError") {
    return `${prefix}no AWS credentials: configure them (aws configure, aws sso login, or AWS_PROFILE) for the account of ${target?.description ?? "the stage"}.`;
  }
  return `${prefix}${cause.name}: ${redact(cause.message)}`;
}
