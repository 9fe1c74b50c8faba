import { UserPoolSettings } from "../packages/core/src/user-pool";
import { postConfirmationFunction } from "../packages/functions/src/definitions";
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
      // Account deletion keeps its marker longer than these (Account.DELETION_MARKER_SECONDS).
      const { tokenValidity } = UserPoolSettings;
      args.accessTokenValidity = tokenValidity.accessTokenMinutes;
      args.idTokenValidity = tokenValidity.idTokenMinutes;
      args.refreshTokenValidity = tokenValidity.refreshTokenDays;
      args.tokenValidityUnits = {
        accessToken: "minutes",
        idToken: "minutes",
        refreshToken: "days",
      };
    },
  },
});

/** What API functions need to find the pool; linking `userPool` would grant `cognito-idp:*`. */
export const userPoolLink = new sst.Linkable("UserPool", {
  properties: { id: userPool.id },
});
