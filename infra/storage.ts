import { UsersTable, usersTableKeySchema } from "@userprofile/core/users-table";
import { isPermanentStage, settings } from "./stage";

/**
 * The stage's own table, or (with USERS_TABLE_NAME) an existing one such as a point-in-time
 * restore: referenced, never created, changed or deleted by this app.
 */
export const usersTable = settings.usersTableName
  ? sst.aws.Dynamo.get(UsersTable.name, settings.usersTableName)
  : new sst.aws.Dynamo(UsersTable.name, {
      ...usersTableKeySchema,
      // Deleted accounts leave a marker without personal data; TTL removes it
      // once it has expired (within a few days of ExpiresAt, as AWS documents).
      ttl: UsersTable.timeToLiveAttribute,
      deletionProtection: isPermanentStage,
      transform: {
        table: (_args, opts) => {
          // A change that would replace the table fails instead of emptying production.
          if (isPermanentStage) opts.protect = true;
        },
      },
    });

/**
 * What a function needs to find the table. Linking `usersTable` itself would
 * grant `dynamodb:*`; functions link this instead and get only the actions
 * they list in `permissions`.
 */
export const usersTableLink = new sst.Linkable("UsersTable", {
  properties: { name: usersTable.name },
});
