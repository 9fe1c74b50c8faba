import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

/** Static credentials: the emulators accept any, and the SDK must not look for real ones. */
export const localCredentials = { accessKeyId: "local", secretAccessKey: "local" };

export function localDynamoDBClient(endpoint: string, region: string) {
  return new DynamoDBClient({ endpoint, region, credentials: localCredentials });
}
