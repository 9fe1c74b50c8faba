import { Account } from "@userprofile/core/account";
import { accounts } from "./deps";
import { json, route } from "./http";

export const handler = route(async (caller) =>
  json(200, await Account.syncEmail(accounts, caller)),
);
