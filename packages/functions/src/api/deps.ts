import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { Account } from "@userprofile/core/account";
import { Profile } from "@userprofile/core/profile";
import { Resource } from "sst/resource";

/** Created once per container and reused across invocations. */
export const accounts = Account.deps(
  Profile.store(Resource.UsersTable.name, new DynamoDBClient({})),
  Resource.UserPool.id,
  new CognitoIdentityProviderClient({}),
);
