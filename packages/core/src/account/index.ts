import {
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";
import { VisibleError } from "../error/index";
import { log } from "../log/index";
import { Profile } from "../profile/index";
import { UserPoolSettings } from "../user-pool/index";

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
    now: () => Date;
  }

  export function deps(
    profiles: Profile.Store,
    userPoolId: string,
    cognito = new CognitoIdentityProviderClient({}),
    now = () => new Date(),
  ): Deps {
    return { profiles, userPoolId, cognito, now };
  }

  /**
   * How long a deleted account's marker stays. API Gateway keeps accepting
   * the user's ID and access tokens until they expire; until then a request
   * may still be in flight or arrive, and the marker is what stops it from
   * writing the profile back. An hour beyond the longest token lifetime.
   */
  export const DELETION_MARKER_SECONDS =
    (Math.max(
      UserPoolSettings.tokenValidity.accessTokenMinutes,
      UserPoolSettings.tokenValidity.idTokenMinutes,
    ) +
      60) *
    60;

  /**
   * Reads the caller's profile. A user can be confirmed without one when the
   * Post Confirmation trigger failed (Cognito does not roll the confirmation
   * back), so a missing profile is rebuilt from the user pool's own record.
   */
  export async function profile(deps: Deps, caller: Caller): Promise<Profile.Info> {
    const state = await Profile.load(deps.profiles, caller.userId, deps.now());
    if (state.status === "active") return state.profile;
    if (state.status === "deleted") throw accountGone();
    return heal(deps, caller);
  }

  export async function updateProfile(
    deps: Deps,
    caller: Caller,
    changes: Profile.Changes,
  ): Promise<Profile.Info> {
    let state = await Profile.update(deps.profiles, caller.userId, changes, deps.now());
    if (state.status === "absent") {
      await heal(deps, caller);
      state = await Profile.update(deps.profiles, caller.userId, changes, deps.now());
    }
    if (state.status === "active") return state.profile;
    if (state.status === "deleted") throw accountGone();
    throw new Error("Profile vanished between heal and update");
  }

  /**
   * Brings the profile's email in step with the user pool right after the user verified a new
   * one, instead of waiting for reconcile. The pool's record is the authority, read with the
   * caller's verified `sub`: an unverified email (a change still waiting for its code) is never
   * copied, and a token's `email` claim is not used, since an older token could carry an
   * address the user has since left. The write is conditional on the email just read, so a
   * concurrent change wins.
   */
  export async function syncEmail(deps: Deps, caller: Caller): Promise<Profile.Info> {
    const state = await Profile.load(deps.profiles, caller.userId, deps.now());
    if (state.status === "deleted") throw accountGone();
    if (state.status === "absent") {
      // GET /me creates a missing profile (from the pool's record); this call only updates one.
      throw new VisibleError("not-found", "profile_not_found", "This account has no profile yet.");
    }
    const current = state.profile;
    const attributes = await poolUser(deps, caller);
    if (!attributes) throw accountGone();
    const email = attributes.email;
    if (!email || attributes.email_verified !== "true" || email === current.email) return current;
    const changed = await Profile.updateEmail(
      deps.profiles,
      caller.userId,
      { from: current.email, to: email },
      deps.now(),
    );
    if (changed) log.info("profile email synced", { userId: caller.userId });
    return profile(deps, caller);
  }

  /**
   * Deletes the account so that no profile can come back:
   * 1. the profile item becomes a marker holding no email or names, which
   *    every create and update is conditioned on (a request racing this one,
   *    or arriving later with a still-valid token, cannot write it back);
   * 2. the user-pool user is deleted, after checking that it is the caller's.
   * If step 2 fails, the personal data is already gone and the client's retry
   * of DELETE finishes the job. The marker expires after the tokens do.
   */
  export async function remove(deps: Deps, caller: Caller): Promise<void> {
    const now = deps.now();
    await Profile.markDeleted(
      deps.profiles,
      caller.userId,
      new Date(now.getTime() + DELETION_MARKER_SECONDS * 1000),
      now,
    );
    const user = await poolUser(deps, caller);
    if (user) {
      try {
        await deps.cognito.send(
          new AdminDeleteUserCommand({ UserPoolId: deps.userPoolId, Username: caller.username }),
        );
      } catch (error) {
        if (!(error instanceof UserNotFoundException)) throw error;
      }
    }
    log.info("account deleted", { userId: caller.userId });
  }

  async function heal(deps: Deps, caller: Caller): Promise<Profile.Info> {
    const attributes = await poolUser(deps, caller);
    if (!attributes) throw accountGone();
    if (!attributes.email) throw new Error("User-pool record has no email");
    const created = await Profile.create(
      deps.profiles,
      { userId: caller.userId, email: attributes.email, attributes },
      deps.now(),
    );
    // Operators count these: each one is a sign-up whose trigger failed.
    if (created) log.info("profile healed", { userId: caller.userId });
    const state = await Profile.load(deps.profiles, caller.userId, deps.now());
    if (state.status === "active") return state.profile;
    if (state.status === "deleted") throw accountGone();
    throw new Error("Profile missing right after a successful create");
  }

  /**
   * The caller's user-pool attributes, or null when the user no longer
   * exists. The username comes from the token too, so the record must carry
   * the verified `sub`: nothing is read or deleted for another user.
   */
  async function poolUser(deps: Deps, caller: Caller): Promise<Record<string, string> | null> {
    let attributes: Record<string, string>;
    try {
      const user = await deps.cognito.send(
        new AdminGetUserCommand({ UserPoolId: deps.userPoolId, Username: caller.username }),
      );
      attributes = Object.fromEntries(
        (user.UserAttributes ?? []).map((attribute) => [attribute.Name, attribute.Value ?? ""]),
      );
    } catch (error) {
      if (error instanceof UserNotFoundException) return null;
      throw error;
    }
    if (attributes.sub !== caller.userId) {
      throw new Error("User-pool record does not match the verified caller");
    }
    return attributes;
  }

  function accountGone() {
    return new VisibleError("not-found", "account_not_found", "This account no longer exists.");
  }
}
