import { CognitoError, UserLambdaValidationError } from "cognito-local/lib/errors.js";
import type { CognitoService } from "cognito-local/lib/services/cognitoService.js";
import type { Context } from "cognito-local/lib/services/context.js";
import type { PostConfirmationTrigger } from "cognito-local/lib/services/triggers/postConfirmation.js";
import { attributesToRecord } from "cognito-local/lib/services/userPoolService.js";

/** What Cognito puts in callerContext when the caller is not an AWS SDK with a known version. */
const AWS_SDK_VERSION = "aws-sdk-unknown-unknown";
/** Cognito's clientId for admin operations such as AdminConfirmSignUp. */
const ADMIN_CLIENT_ID = "CLIENT_ID_NOT_APPLICABLE";
/** Cognito waits this long for a trigger, then tries again, three attempts in all. */
const ATTEMPTS = 3;

export interface PostConfirmationOptions {
  region: string;
  lambdaEndpoint: string;
  functionName: string;
  timeoutMs: number;
  cognito: () => CognitoService;
  log: (line: string) => void;
  /** Failures injected through the local control server. */
  failures?: TriggerFailures;
}

/**
 * A count of upcoming trigger attempts that fail as a throwing function
 * would, without running it: how the local control makes "the trigger
 * failed" reproducible.
 */
export interface TriggerFailures {
  readonly remaining: number;
  set(count: number): void;
  /** Uses up one injected failure; false when none is left. */
  take(): boolean;
}

export function createTriggerFailures(): TriggerFailures {
  let remaining = 0;
  return {
    get remaining() {
      return remaining;
    },
    set(count: number) {
      if (!Number.isInteger(count) || count < 0) {
        throw new RangeError("The failure count must be a whole number ≥ 0.");
      }
      remaining = count;
    },
    take() {
      if (remaining === 0) return false;
      remaining -= 1;
      return true;
    },
  };
}

/** The error message of an injected failure, as the client sees it inside UserLambdaValidationException. */
export const INJECTED_FAILURE_MESSAGE = "Failure injected by the local control (trigger-failures)";

class TriggerTimeout extends Error {}

/**
 * Replaces cognito-local's PostConfirmation trigger, which swallows a failing
 * function and sends version "0" / region "local". Runs after the user is
 * saved (as CONFIRMED, or with the new password), so a failure reaches the
 * client while the change stands, as on AWS.
 */
export function postConfirmationTrigger(options: PostConfirmationOptions): PostConfirmationTrigger {
  return async (ctx: Context, params) => {
    const userPool = await options.cognito().getUserPool(ctx, params.userPoolId);
    const user = await userPool.getUserByUsername(ctx, params.username);
    if (!user) throw new CognitoError("UserNotFoundException", "User does not exist.");

    const event = {
      version: "1",
      region: options.region,
      userPoolId: params.userPoolId,
      userName: user.Username,
      callerContext: {
        awsSdkVersion: AWS_SDK_VERSION,
        clientId: params.clientId ?? ADMIN_CLIENT_ID,
      },
      triggerSource: params.source,
      request: {
        userAttributes: {
          ...attributesToRecord(user.Attributes),
          "cognito:user_status": user.UserStatus,
        },
        ...(params.clientMetadata ? { clientMetadata: params.clientMetadata } : {}),
      },
      response: {},
    };
    await invoke(options, event);
  };
}

async function invoke(options: PostConfirmationOptions, event: object): Promise<unknown> {
  const url = `${options.lambdaEndpoint}/2015-03-31/functions/${encodeURIComponent(options.functionName)}/invocations`;
  for (let attempt = 1; ; attempt++) {
    try {
      if (options.failures?.take()) {
        options.log(
          "cognito: PostConfirmation failed on purpose (local control: trigger-failures)",
        );
        throw new UserLambdaValidationError(
          `PostConfirmation failed with error ${INJECTED_FAILURE_MESSAGE}.`,
        );
      }
      return await invokeOnce(url, event, options.timeoutMs);
    } catch (error) {
      if (!(error instanceof TriggerTimeout)) throw error;
      options.log(
        `cognito: PostConfirmation timed out after ${options.timeoutMs} ms (attempt ${attempt} of ${ATTEMPTS})`,
      );
      if (attempt === ATTEMPTS) {
        throw new CognitoError(
          "UnexpectedLambdaException",
          "PostConfirmation invocation failed due to error Socket timeout while invoking Lambda function.",
        );
      }
    }
  }
}

async function invokeOnce(url: string, event: object, timeoutMs: number): Promise<unknown> {
  let response: Response;
  let body: string;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(timeoutMs),
    });
    body = await response.text();
  } catch (error) {
    if (error instanceof DOMException && error.name === "TimeoutError") throw new TriggerTimeout();
    throw new CognitoError(
      "UnexpectedLambdaException",
      `PostConfirmation invocation failed due to error ${(error as Error).cause ?? error}.`,
    );
  }
  if (!response.ok) {
    throw new CognitoError(
      "UnexpectedLambdaException",
      `PostConfirmation invocation failed due to error HTTP ${response.status}.`,
    );
  }
  const payload = parseJson(body);
  if (response.headers.get("x-amz-function-error")) {
    const message =
      typeof payload === "object" && payload !== null && "errorMessage" in payload
        ? String(payload.errorMessage)
        : "Unhandled";
    throw new UserLambdaValidationError(`PostConfirmation failed with error ${message}.`);
  }
  // A handler that forgets to return the event yields null, which Cognito rejects.
  if (typeof payload !== "object" || payload === null) {
    throw new CognitoError(
      "InvalidLambdaResponseException",
      "Invalid lambda function output : Invalid JSON",
    );
  }
  return payload;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
