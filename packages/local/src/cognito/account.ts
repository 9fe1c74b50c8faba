import {
  CognitoError,
  InvalidParameterError,
  NotAuthorizedError,
} from "cognito-local/lib/errors.js";
import type { Route, Router } from "cognito-local/lib/server/Router.js";
import type { Context } from "cognito-local/lib/services/context.js";
import type { Services } from "cognito-local/lib/services/index.js";
import { attributeValue } from "cognito-local/lib/services/userPoolService.js";
import { assertPasswordAllowed } from "./password-policy";

interface UserRequest {
  ClientId: string;
  Username: string;
  ClientMetadata?: Record<string, string>;
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

/**
 * Sign-up, confirmation and password-reset targets: the pool's password
 * policy, ResendConfirmationCode, and Cognito's answers where cognito-local's
 * differ (confirming a confirmed user, resetting an unverified address).
 */
export function accountTargets(services: Services, delegate: Router) {
  const serial = keyedQueue();

  const lookup = async (ctx: Context, req: UserRequest) => {
    const userPool = await services.cognito.getUserPoolForClientId(ctx, req.ClientId);
    const client = await services.cognito.getAppClient(ctx, req.ClientId);
    const user = await userPool.getUserByUsername(ctx, req.Username ?? "");
    return { userPool, user, hideUnknown: client?.PreventUserExistenceErrors === "ENABLED" };
  };

  const SignUp: Route = async (ctx, req: UserRequest & { Password?: string }) => {
    assertPasswordAllowed(req.Password);
    // cognito-local checks for an existing user, then saves after sending the
    // code: two parallel sign-ups with one address would both succeed.
    return serial(`${req.ClientId}/${String(req.Username).toLowerCase()}`, () =>
      delegate("SignUp")(ctx, req),
    );
  };

  const ConfirmSignUp: Route = async (ctx, req: UserRequest) => {
    const { user } = await lookup(ctx, req);
    if (user && user.UserStatus !== "UNCONFIRMED") {
      throw new NotAuthorizedError(
        `User cannot be confirmed. Current status is ${user.UserStatus}`,
      );
    }
    return delegate("ConfirmSignUp")(ctx, req);
  };

  const ResendConfirmationCode: Route = async (ctx, req: UserRequest) => {
    const { userPool, user, hideUnknown } = await lookup(ctx, req);
    const email = user ? attributeValue("email", user.Attributes) : undefined;
    if (!user) {
      if (!hideUnknown) throw userNotFound();
      return {
        CodeDeliveryDetails: {
          AttributeName: "email",
          DeliveryMedium: "EMAIL",
          Destination: req.Username,
        },
      };
    }
    if (user.UserStatus !== "UNCONFIRMED") {
      throw new InvalidParameterError("User is already confirmed.");
    }
    if (!email) {
      throw new InvalidParameterError(
        "Cannot resend codes. Auto verification not turned on or no email address for the user.",
      );
    }
    const deliveryDetails = {
      AttributeName: "email",
      DeliveryMedium: "EMAIL",
      Destination: email,
    } as const;
    const code = services.otp();
    await services.messages.deliver(
      ctx,
      "ResendCode",
      req.ClientId,
      userPool.options.Id,
      user,
      code,
      req.ClientMetadata,
      deliveryDetails,
    );
    await userPool.saveUser(ctx, {
      ...user,
      ConfirmationCode: code,
      UserLastModifiedDate: services.clock.get(),
    });
    return { CodeDeliveryDetails: deliveryDetails };
  };

  const ForgotPassword: Route = async (ctx, req: UserRequest) => {
    const { user, hideUnknown } = await lookup(ctx, req);
    if (!user) {
      if (!hideUnknown) throw userNotFound();
      return {
        CodeDeliveryDetails: {
          AttributeName: "email",
          DeliveryMedium: "EMAIL",
          Destination: req.Username,
        },
      };
    }
    // The pool recovers accounts through a verified email only.
    if (attributeValue("email_verified", user.Attributes) !== "true") {
      throw new InvalidParameterError(
        "Cannot reset password for the user as there is no registered/verified email or phone_number",
      );
    }
    return delegate("ForgotPassword")(ctx, req);
  };

  const ConfirmForgotPassword: Route = async (ctx, req: UserRequest & { Password?: string }) => {
    assertPasswordAllowed(req.Password);
    const { user } = await lookup(ctx, req);
    if (!user) throw userNotFound();
    return delegate("ConfirmForgotPassword")(ctx, req);
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
