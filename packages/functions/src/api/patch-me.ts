import { Account } from "@userprofile/core/account";
import { Profile } from "@userprofile/core/profile";
import { accounts } from "./deps";
import { json, jsonBody, route } from "./http";

export const handler = route(async (caller, event) => {
  const changes = Profile.parseChanges(jsonBody(event));
  return json(200, await Account.updateProfile(accounts, caller, changes));
});
