import {
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";
import { VisibleError } from "../error/index";
import { Profile } from "../profile/index";

/**
 * The signed-in user's account: their user-pool entry and their profile.
 * Callers come from verified token claims only, never from request input.
 */
export namespace Account {
  export interface Caller {
    /** The user's `sub`, the profile's key. */
    userId: string;
    /** The user-pool username (the `sub` too in an email-as-username pool). */
    username: string;
  }

  export interface Deps {
    profiles: Profile.Store;
    userPoolId: string;
    cognito: CognitoIdentityProviderClient;
  }

  export function deps(
    profiles: Profile.Store,
    userPoolId: string,
    cognito = new CognitoIdentityProviderClient({}),
  ): Deps {
    return { profiles, userPoolId, cognito };
  }

  /**
   * Reads the caller's profile. A user can be confirmed without one when the
   * Post Confirmation trigger failed (Cognito does not roll the confirmation
   * back), so a missing profile is rebuilt from the user pool's own record.
   */
  export async function profile(deps: Deps, caller: Caller): Promise<Profile.Info> {
    return (await Profile.get(deps.profiles, caller.userId)) ?? heal(deps, caller);
  }

  export async function updateProfile(
    deps: Deps,
    caller: Caller,
    changes: Profile.Changes,
  ): Promise<Profile.Info> {
    const updated = await Profile.update(deps.profiles, caller.userId, changes);
    if (updated) return updated;
    await heal(deps, caller);
    const retried = await Profile.update(deps.profiles, caller.userId, changes);
    if (!retried) throw new Error("Profile vanished between heal and update");
    return retried;
  }

  /**
   * Deletes the profile first, then the user. If the second step fails the
   * user can still sign in and retry; the reverse order could strand a
   * profile nobody can reach.
   */
  export async function remove(deps: Deps, caller: Caller): Promise<void> {
    await Profile.remove(deps.profiles, caller.userId);
    try {
      await deps.cognito.send(
        new AdminDeleteUserCommand({ UserPoolId: deps.userPoolId, Username: caller.username }),
      );
    } catch (error) {
      if (!(error instanceof UserNotFoundException)) throw error;
    }
  }

  async function heal(deps: Deps, caller: Caller): Promise<Profile.Info> {
    let attributes: Record<string, string>;
    try {
      const user = await deps.cognito.send(
        new AdminGetUserCommand({ UserPoolId: deps.userPoolId, Username: caller.username }),
      );
      attributes = Object.fromEntries(
        (user.UserAttributes ?? []).map((attribute) => [attribute.Name, attribute.Value ?? ""]),
      );
    } catch (error) {
      if (error instanceof UserNotFoundException) {
        throw new VisibleError("not-found", "account_not_found", "This account no longer exists.");
      }
      throw error;
    }
    if (attributes.sub !== caller.userId || !attributes.email) {
      throw new Error("User-pool record does not match the verified caller");
    }
    await Profile.create(deps.profiles, {
      userId: caller.userId,
      email: attributes.email,
      firstName: attributes.given_name,
      lastName: attributes.family_name,
    });
    const created = await Profile.get(deps.profiles, caller.userId);
    if (!created) throw new Error("Profile missing right after a successful create");
    return created;
  }
}
