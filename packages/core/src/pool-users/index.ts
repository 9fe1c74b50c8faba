import {
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  ListUsersCommand,
  UserNotFoundException,
  type UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import { ProfileFields } from "../profile-fields/index";

/** The users of a Cognito user pool, read page by page. */
export namespace PoolUsers {
  /** What the profile is made from and compared with. Holds personal data: never log it. */
  export interface User {
    /** The user's `sub`: the profile's key. */
    userId: string;
    /** UNCONFIRMED, CONFIRMED, FORCE_CHANGE_PASSWORD, RESET_REQUIRED, EXTERNAL_PROVIDER, … */
    status: string;
    email: string | undefined;
    emailVerified: boolean;
    /** The pool attributes the profile's fields come from (`given_name`…), those the user has. */
    attributes: Record<string, string>;
  }

  /** ListUsers returns at most 60 users a call. */
  const PAGE_SIZE = 60;

  /** Only what reconciling needs, which also keeps pages small. */
  const ATTRIBUTES = ["sub", "email", "email_verified", ...ProfileFields.poolAttributes];

  function fromUserType(user: UserType): User {
    const attributes = new Map(
      user.Attributes?.map((attribute) => [attribute.Name, attribute.Value]),
    );
    const fieldAttributes: Record<string, string> = {};
    for (const name of ProfileFields.poolAttributes) {
      const value = attributes.get(name);
      if (value !== undefined) fieldAttributes[name] = value;
    }
    return {
      // In an email-as-username pool the username is the sub as well.
      userId: attributes.get("sub") ?? user.Username ?? "",
      status: user.UserStatus ?? "UNKNOWN",
      email: attributes.get("email") || undefined,
      emailVerified: attributes.get("email_verified") === "true",
      attributes: fieldAttributes,
    };
  }

  /** Every user of the pool, one ListUsers page at a time, following PaginationToken to the end. */
  export async function* pages(
    cognito: CognitoIdentityProviderClient,
    userPoolId: string,
    options: { signal?: AbortSignal } = {},
  ): AsyncGenerator<User[]> {
    let token: string | undefined;
    do {
      const page = await cognito.send(
        new ListUsersCommand({
          UserPoolId: userPoolId,
          Limit: PAGE_SIZE,
          AttributesToGet: ATTRIBUTES,
          PaginationToken: token,
        }),
        { abortSignal: options.signal },
      );
      yield (page.Users ?? []).map(fromUserType);
      token = page.PaginationToken || undefined;
    } while (token);
  }

  /** Whether the user still exists: checked right before anything is deleted on its behalf. */
  export async function exists(
    cognito: CognitoIdentityProviderClient,
    userPoolId: string,
    userId: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<boolean> {
    try {
      await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: userId }), {
        abortSignal: options.signal,
      });
      return true;
    } catch (error) {
      if (error instanceof UserNotFoundException) return false;
      throw error;
    }
  }
}
