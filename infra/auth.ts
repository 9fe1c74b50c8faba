import { UserPoolSettings } from "../packages/core/src/user-pool";
import { isPermanentStage } from "./stage";
import { usersTable, usersTableLink } from "./storage";

export const userPool = new sst.aws.CognitoUserPool("Auth", {
  usernames: [...UserPoolSettings.usernameAttributes],
  triggers: {
    postConfirmation: {
      handler: "packages/functions/src/cognito/post-confirmation.handler",
      // Cognito gives up after 5 s and retries; a longer timeout only hides failures.
      timeout: "5 seconds",
      // More memory buys a faster cold start (CPU scales with it); one invocation per sign-up keeps it cheap.
      memory: "1024 MB",
      link: [usersTableLink],
      permissions: [{ actions: ["dynamodb:PutItem"], resources: [usersTable.arn] }],
    },
  },
  transform: {
    userPool: (args) => {
      args.passwordPolicy = { ...UserPoolSettings.passwordPolicy };
      args.accountRecoverySetting = {
        recoveryMechanisms: [{ name: "verified_email", priority: 1 }],
      };
      args.deletionProtection = isPermanentStage ? "ACTIVE" : "INACTIVE";
    },
  },
});

export const webClient = userPool.addClient("WebClient", {
  transform: {
    client: (args) => {
      args.generateSecret = false;
      args.explicitAuthFlows = [...UserPoolSettings.webClientAuthFlows];
      args.preventUserExistenceErrors = "ENABLED";
      args.enableTokenRevocation = true;
    },
  },
});

/** What API functions need to find the pool; linking `userPool` would grant `cognito-idp:*`. */
export const userPoolLink = new sst.Linkable("UserPool", {
  properties: { id: userPool.id },
});
