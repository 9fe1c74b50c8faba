/**
 * The one definition of the `Users` table: infra, the local stack and the tests
 * all build the table and its items from these names. The profile fields'
 * attributes are defined with the fields (core/profile-fields).
 */
export const UsersTable = {
  /** Logical name: SST component name and the local table name. */
  name: "Users",
  partitionKey: "UserID",
  attributes: {
    userId: "UserID",
    email: "Email",
    createdAt: "CreatedAt",
    updatedAt: "UpdatedAt",
    /** Set only on a deletion marker: when the account was deleted (ISO 8601). */
    deletedAt: "DeletedAt",
    /** Set only on a deletion marker: epoch seconds after which DynamoDB's TTL removes it. */
    expiresAt: "ExpiresAt",
  },
  /** The table's Time to Live attribute (a Number of epoch seconds). */
  timeToLiveAttribute: "ExpiresAt",
} as const;

/** `sst.aws.Dynamo` arguments derived from the definition above. */
export const usersTableKeySchema = {
  fields: { [UsersTable.partitionKey]: "string" },
  primaryIndex: { hashKey: UsersTable.partitionKey },
} as const;
