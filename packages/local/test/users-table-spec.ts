import { UsersTable, usersTableKeySchema } from "@userprofile/core/users-table";
import type { TableSpec } from "../src/spec";

/** The app's Users table as the planner describes it (from the one definition infra deploys). */
export function usersTableSpec(name: string = UsersTable.name): TableSpec {
  return {
    name,
    arn: `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`,
    origin: { component: "sst:aws:Dynamo", name: UsersTable.name },
    attributes: Object.keys(usersTableKeySchema.fields).map((field) => ({
      name: field,
      type: "S",
    })),
    hashKey: usersTableKeySchema.primaryIndex.hashKey,
    globalSecondaryIndexes: [],
    localSecondaryIndexes: [],
    timeToLive: { attributeName: UsersTable.timeToLiveAttribute },
  };
}
