import {
  CognitoError,
  InvalidParameterError,
  NotAuthorizedError,
} from "cognito-local/lib/errors.js";
import type { Route, Router } from "cognito-local/lib/server/Router.js";
import type { Context } from "cognito-local/lib/services/context.js";
import type { Services } from "cognito-local/lib/services/index.js";
import {
  attribute,
  attributesAppend,
  attributeValue,
  type UserPoolService,
} from "cognito-local/lib/services/userPoolService.js";
import {
  assertMaySendCode,
  type CodePurpose,
  checkCode,
  codeMismatch,
  emailDelivery,
  newCode,
  type UserWithCodes,
  withNewCode,
} from "./codes";
import { assertPasswordAllowed } from "./password-policy";

interface UserRequest {
  ClientId: string;
  Username: string;
  ClientMetadata?: Record<string, string>;
}

interface CodeRequest extends UserRequest {
  ConfirmationCode?: string;
}

const userNotFound = () => new CognitoError("UserNotFoundException", "User does not exist.");

/** Runs tasks with the same key one after another. */
function keyedQueue() {
  const tails = new Map<string, Promise<unknown>>();
  return async <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.catch(() => {});
    tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}

function assertUsername(req: { Username?: unknown }) {
  if (typeof req.Username !== "string" || req.Username === "") {
    throw new InvalidParameterError(
      "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must not be null",
    );
  }
}

/**
 * Sign-up, confirmation and password-reset targets, with codes that have a
 * purpose, a lifetime and attempt limits (see codes.ts), delivery details
 * masked as Cognito masks them (the mailbox still gets the real address),
 * the client's PreventUserExistenceErrors honoured, and the pool's password
 * policy. Only a confirmation with the emailed code verifies the email.
 */
export function accountTargets(services: Services, delegate: Router) {
  const serial = keyedQueue();
  const now = () => services.clock.get().getTime();
  const userKey = (req: UserRequest) => `${req.ClientId}/${String(req.Username).toLowerCase()}`;

  const lookup = async (ctx: Context, req: UserRequest) => {
    const userPool = await services.cognito.getUserPoolForClientId(ctx, req.ClientId);
    const client = await services.cognito.getAppClient(ctx, req.ClientId);
    const user = (await userPool.getUserByUsername(ctx, req.Username)) as UserWithCodes | null;
    return { userPool, user, hideUnknown: client?.PreventUserExistenceErrors === "ENABLED" };
  };

  /** Saves the user, then runs Post Confirmation as Cognito does: after the change stands. */
  const saveThenConfirm = async (
    ctx: Context,
    userPool: Awaited<ReturnType<typeof lookup>>["userPool"],
    user: UserWithCodes,
    source: "PostConfirmation_ConfirmSignUp" | "PostConfirmation_ConfirmForgotPassword",
    req: { ClientId: string; ClientMetadata?: Record<string, string> },
  ) => {
    await userPool.saveUser(ctx, user);
    if (services.triggers.enabled("PostConfirmation")) {
      await services.triggers.postConfirmation(ctx, {
        source,
        clientId: req.ClientId,
        clientMetadata: req.ClientMetadata,
        username: user.Username,
        userPoolId: userPool.options.Id,
        userAttributes: user.Attributes,
      });
    }
  };

  const sendCode = async (
    ctx: Context,
    userPool: UserPoolService,
    req: UserRequest,
    user: UserWithCodes,
    purpose: CodePurpose,
    email: string,
  ) => {
    const at = now();
    assertMaySendCode(user, purpose, at);
    const code = newCode();
    await services.messages.deliver(
      ctx,
      purpose === "signup" ? "ResendCode" : "ForgotPassword",
      req.ClientId,
      userPool.options.Id,
      user,
      code,
      req.ClientMetadata,
      { AttributeName: "email", DeliveryMedium: "EMAIL", Destination: email },
    );
    await userPool.saveUser(ctx, {
      ...withNewCode(user, purpose, code, at),
      UserLastModifiedDate: new Date(at),
    });
    return { CodeDeliveryDetails: emailDelivery(email) };
  };

  /** What an unknown (or disabled) user gets instead of an error: a code "sent" to the name given. */
  const simulatedDelivery = (req: UserRequest) => ({
    CodeDeliveryDetails: emailDelivery(req.Username),
  });

  const SignUp: Route = async (ctx, req: UserRequest & { Password?: string }) => {
    assertPasswordAllowed(req.Password);
    assertUsername(req);
    // cognito-local checks for an existing user, then saves after sending the
    // code: two parallel sign-ups with one address would both succeed.
    return serial(userKey(req), async () => {
      const result = (await delegate("SignUp")(ctx, req)) as {
        UserSub: string;
        CodeDeliveryDetails?: { Destination?: string };
      };
      // cognito-local keeps one purpose-less code; give it its purpose and time.
      const userPool = await services.cognito.getUserPoolForClientId(ctx, req.ClientId);
      const user = (await userPool.getUserByUsername(ctx, result.UserSub)) as UserWithCodes | null;
      if (user?.ConfirmationCode) {
        await userPool.saveUser(ctx, withNewCode(user, "signup", user.ConfirmationCode, now()));
      }
      const destination = result.CodeDeliveryDetails?.Destination;
      return destination ? { ...result, CodeDeliveryDetails: emailDelivery(destination) } : result;
    });
  };

  const ConfirmSignUp: Route = async (ctx, req: CodeRequest) => {
    assertUsername(req);
    return serial(userKey(req), async () => {
      const { userPool, user, hideUnknown } = await lookup(ctx, req);
      if (!user) throw hideUnknown ? codeMismatch() : userNotFound();
      if (user.UserStatus !== "UNCONFIRMED") {
        throw new NotAuthorizedError(
          `User cannot be confirmed. Current status is ${user.UserStatus}`,
        );
      }
      const at = now();
      const check = checkCode(user, "signup", req.ConfirmationCode, at);
      if (!check.ok) {
        if (check.user) await userPool.saveUser(ctx, check.user);
        throw check.error;
      }
      // Entering the emailed code proves the address: the one place email_verified becomes true.
      const email = attributeValue("email", user.Attributes);
      const confirmed: UserWithCodes = {
        ...check.user,
        UserStatus: "CONFIRMED",
        Attributes: email
          ? attributesAppend(user.Attributes, attribute("email_verified", "true"))
          : user.Attributes,
        UserLastModifiedDate: new Date(at),
      };
      await saveThenConfirm(ctx, userPool, confirmed, "PostConfirmation_ConfirmSignUp", req);
      return {};
    });
  };

  const ResendConfirmationCode: Route = async (ctx, req: UserRequest) => {
    assertUsername(req);
    return serial(userKey(req), async () => {
      const { userPool, user, hideUnknown } = await lookup(ctx, req);
      if (!user?.Enabled) {
        if (!hideUnknown) throw user ? new NotAuthorizedError("User is disabled.") : userNotFound();
        return simulatedDelivery(req);
      }
      if (user.UserStatus !== "UNCONFIRMED") {
        throw new InvalidParameterError("User is already confirmed.");
      }
      const email = attributeValue("email", user.Attributes);
      if (!email) {
        throw new InvalidParameterError(
          "Cannot resend codes. Auto verification not turned on or no email address for the user.",
        );
      }
      return sendCode(ctx, userPool, req, user, "signup", email);
    });
  };

  const ForgotPassword: Route = async (ctx, req: UserRequest) => {
    assertUsername(req);
    return serial(userKey(req), async () => {
      const { userPool, user, hideUnknown } = await lookup(ctx, req);
      if (!user?.Enabled) {
        if (!hideUnknown) throw user ? new NotAuthorizedError("User is disabled.") : userNotFound();
        return simulatedDelivery(req);
      }
      // The pool recovers accounts through a verified email only.
      const email = attributeValue("email", user.Attributes);
      if (!email || attributeValue("email_verified", user.Attributes) !== "true") {
        throw new InvalidParameterError(
          "Cannot reset password for the user as there is no registered/verified email or phone_number",
        );
      }
      return sendCode(ctx, userPool, req, user, "forgot-password", email);
    });
  };

  const ConfirmForgotPassword: Route = async (ctx, req: CodeRequest & { Password?: string }) => {
    assertPasswordAllowed(req.Password);
    assertUsername(req);
    return serial(userKey(req), async () => {
      const { userPool, user, hideUnknown } = await lookup(ctx, req);
      if (!user?.Enabled) throw hideUnknown ? codeMismatch() : userNotFound();
      const at = now();
      const check = checkCode(user, "forgot-password", req.ConfirmationCode, at);
      if (!check.ok) {
        if (check.user) await userPool.saveUser(ctx, check.user);
        throw check.error;
      }
      const needsNewPassword =
        user.UserStatus === "RESET_REQUIRED" || user.UserStatus === "FORCE_CHANGE_PASSWORD";
      const reset: UserWithCodes = {
        ...check.user,
        Password: req.Password as string,
        UserStatus: needsNewPassword ? "CONFIRMED" : user.UserStatus,
        UserLastModifiedDate: new Date(at),
      };
      await saveThenConfirm(ctx, userPool, reset, "PostConfirmation_ConfirmForgotPassword", req);
      return {};
    });
  };

  const ChangePassword: Route = async (ctx, req: { ProposedPassword?: string }) => {
    assertPasswordAllowed(req.ProposedPassword, "proposedPassword");
    return delegate("ChangePassword")(ctx, req);
  };

  const AdminSetUserPassword: Route = async (ctx, req: { Password?: string }) => {
    assertPasswordAllowed(req.Password);
    return delegate("AdminSetUserPassword")(ctx, req);
  };

  const AdminCreateUser: Route = async (ctx, req: { TemporaryPassword?: string }) => {
    if (req.TemporaryPassword !== undefined) {
      assertPasswordAllowed(req.TemporaryPassword, "temporaryPassword");
    }
    return delegate("AdminCreateUser")(ctx, req);
  };

  return {
    SignUp,
    ConfirmSignUp,
    ResendConfirmationCode,
    ForgotPassword,
    ConfirmForgotPassword,
    ChangePassword,
    AdminSetUserPassword,
    AdminCreateUser,
  };
}
