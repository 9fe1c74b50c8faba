import { UserPoolSettings } from "../packages/core/src/user-pool";
import { permissionsFor, postConfirmationFunction } from "../packages/functions/src/definitions";
import { isPermanentStage } from "./stage";
import { usersTable, usersTableLink } from "./storage";

export const userPool = new sst.aws.CognitoUserPool("Auth", {
  usernames: [...UserPoolSettings.usernameAttributes],
  triggers: {
    postConfirmation: {
      handler: postConfirmationFunction.handler,
      timeout: `${postConfirmationFunction.timeoutSeconds} seconds`,
      memory: `${postConfirmationFunction.memoryMB} MB`,
      link: [usersTableLink],
      // No pool ARN: naming the pool here would make it depend on its own trigger.
      permissions: permissionsFor(postConfirmationFunction.grants, { table: usersTable.arn }),
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
