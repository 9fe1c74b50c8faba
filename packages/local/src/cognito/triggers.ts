import type { Services } from "./context";
import { CognitoError } from "./errors";
import type { Pool } from "./pool";
import type { SupportedTrigger } from "./support";
import { INJECTED_FAILURE_MESSAGE } from "./trigger-failures";

/** Cognito waits for a trigger, then tries again: three attempts in all. */
const ATTEMPTS = 3;
/** What Cognito puts in callerContext when the caller is not an AWS SDK with a known version. */
const AWS_SDK_VERSION = "aws-sdk-unknown-unknown";
/** Cognito's clientId for operations without an app client, such as AdminConfirmSignUp. */
export const ADMIN_CLIENT_ID = "CLIENT_ID_NOT_APPLICABLE";

class TriggerTimeout extends Error {}

/** The fields every trigger event has (the common parameters of Cognito's trigger events). */
export function eventBase(
  services: Services,
  pool: Pool,
  triggerSource: string,
  userName: string,
  clientId: string | undefined,
  version = "1",
) {
  return {
    version,
    triggerSource,
    region: services.region,
    userPoolId: pool.id,
    userName,
    callerContext: { awsSdkVersion: AWS_SDK_VERSION, clientId: clientId ?? ADMIN_CLIENT_ID },
  };
}

/**
 * Runs a pool's trigger as Cognito does: synchronously, through Lambda, as
 * `cognito-idp.amazonaws.com` with the pool's ARN as source; each attempt may
 * take the trigger timeout (5 s) and a timed-out one is tried again, three
 * attempts in all. A function error reaches the caller as
 * UserLambdaValidationException "<Trigger> failed with error <message>."; a
 * reply that is not an object as InvalidLambdaResponseException. Returns the
 * function's reply, or undefined when the pool has no such trigger.
 */
export async function runTrigger(
  services: Services,
  pool: Pool,
  trigger: SupportedTrigger,
  event: object,
): Promise<Record<string, unknown> | undefined> {
  const functionName = pool.spec.triggers[trigger];
  if (!functionName) return undefined;
  const caller = { principal: "cognito-idp.amazonaws.com", sourceArn: pool.spec.arn } as const;
  for (let attempt = 1; ; attempt++) {
    if (trigger === "PostConfirmation" && services.triggerFailures?.take()) {
      services.log(`cognito: ${trigger} failed on purpose (local control: trigger-failures)`);
      throw new CognitoError(
        "UserLambdaValidationException",
        `${trigger} failed with error ${INJECTED_FAILURE_MESSAGE}.`,
      );
    }
    let result: Awaited<ReturnType<Services["invoke"]>>;
    try {
      result = await withTimeout(
        services.invoke(functionName, event, caller),
        services.triggerTimeoutMs,
      );
    } catch (error) {
      if (!(error instanceof TriggerTimeout)) {
        throw new CognitoError(
          "UnexpectedLambdaException",
          `${trigger} invocation failed due to error ${(error as Error).message ?? error}.`,
        );
      }
      services.log(
        `cognito: ${trigger} timed out after ${services.triggerTimeoutMs} ms (attempt ${attempt} of ${ATTEMPTS})`,
      );
      if (attempt === ATTEMPTS) {
        throw new CognitoError(
          "UnexpectedLambdaException",
          `${trigger} invocation failed due to error Socket timeout while invoking Lambda function.`,
        );
      }
      continue;
    }
    if (!result.ok) {
      const { errorType } = result.error;
      if (errorType === "ResourceNotFoundException" || errorType === "AccessDeniedException") {
        throw new CognitoError(
          "UnexpectedLambdaException",
          `${trigger} invocation failed due to error ${errorType}.`,
        );
      }
      throw new CognitoError(
        "UserLambdaValidationException",
        `${trigger} failed with error ${result.error.errorMessage}.`,
      );
    }
    const reply = result.payload;
    // A handler that forgets to return the event yields null, which Cognito rejects.
    if (typeof reply !== "object" || reply === null || Array.isArray(reply)) {
      throw new CognitoError(
        "InvalidLambdaResponseException",
        "Invalid lambda function output : Invalid JSON",
      );
    }
    return reply as Record<string, unknown>;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TriggerTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The `response` object of a trigger's reply, or an empty one. */
export function responseOf(reply: Record<string, unknown> | undefined): Record<string, unknown> {
  const response = reply?.response;
  return typeof response === "object" && response !== null && !Array.isArray(response)
    ? (response as Record<string, unknown>)
    : {};
}
