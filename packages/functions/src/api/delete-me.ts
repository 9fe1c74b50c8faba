import { Account } from "@userprofile/core/account";
import { accounts } from "./deps";
import { json, route } from "./http";

export const handler = route(async (caller) => {
  await Account.remove(accounts, caller);
  return json(204);
});
