import { UsersTable, usersTableKeySchema } from "../packages/core/src/users-table";
import { isPermanentStage } from "./stage";

export const usersTable = new sst.aws.Dynamo(UsersTable.name, {
  ...usersTableKeySchema,
  // Deleted accounts leave a marker without personal data; TTL removes it
  // once it has expired (within a few days of ExpiresAt, as AWS documents).
  ttl: UsersTable.timeToLiveAttribute,
  deletionProtection: isPermanentStage,
});

/**
 * What a function needs to find the table. Linking `usersTable` itself would
 * grant `dynamodb:*`; functions link this instead and get only the actions
 * they list in `permissions`.
 */
export const usersTableLink = new sst.Linkable("UsersTable", {
  properties: { name: usersTable.name },
});
