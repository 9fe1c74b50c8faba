import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  type BackoffSettings,
  backoffRetryStrategy,
  batchBackoff,
} from "@userprofile/core/aws-retry";
import { localCredentials } from "@userprofile/core/aws-tools";
import { Profile } from "@userprofile/core/profile";
import type { Reconcile } from "@userprofile/core/reconcile";
import type { Target } from "./target";

export interface ReconcileClients {
  deps: Reconcile.Deps;
  cognito: CognitoIdentityProviderClient;
  dynamodb: DynamoDBClient;
  destroy(): void;
}

/**
 * SDK clients for one target, retrying throttled calls with full-jitter
 * backoff (see aws-retry) and failing fast on an endpoint that never answers.
 */
export function reconcileClients(
  target: Target,
  backoff: Partial<BackoffSettings> = {},
): ReconcileClients {
  const common = {
    region: target.region,
    retryStrategy: backoffRetryStrategy({ ...batchBackoff, ...backoff }),
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
    ...(target.credentials === "local" ? { credentials: localCredentials } : {}),
  };
  const cognito = new CognitoIdentityProviderClient({
    ...common,
    ...(target.cognitoEndpoint ? { endpoint: target.cognitoEndpoint } : {}),
  });
  const dynamodb = new DynamoDBClient({
    ...common,
    ...(target.dynamodbEndpoint ? { endpoint: target.dynamodbEndpoint } : {}),
  });
  return {
    deps: {
      cognito,
      userPoolId: target.userPoolId,
      profiles: Profile.store(target.usersTable, dynamodb),
    },
    cognito,
    dynamodb,
    destroy() {
      cognito.destroy();
      dynamodb.destroy();
    },
  };
}
