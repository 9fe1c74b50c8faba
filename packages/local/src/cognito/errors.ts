/**
 * An error Cognito's API returns: its `__type` and message, sent as the JSON
 * 1.1 protocol sends errors (status 400 unless said otherwise).
 */
export class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export const invalidParameter = (message: string) =>
  new CognitoError("InvalidParameterException", message);
export const notAuthorized = (message: string) =>
  new CognitoError("NotAuthorizedException", message);
export const userNotFound = () => new CognitoError("UserNotFoundException", "User does not exist.");
export const incorrectCredentials = () => notAuthorized("Incorrect username or password.");
export const userNotConfirmed = () =>
  new CognitoError("UserNotConfirmedException", "User is not confirmed.");
export const userDisabled = () => notAuthorized("User is disabled.");
export const poolNotFound = (poolId: string) =>
  new CognitoError("ResourceNotFoundException", `User pool ${poolId} does not exist.`);
export const clientNotFound = (clientId: string) =>
  new CognitoError("ResourceNotFoundException", `User pool client ${clientId} does not exist.`);
export const unauthorizedAttribute = () =>
  notAuthorized("A client attempted to write unauthorized attribute");

/** The wording of the API's own input validation ("1 validation error detected: …"). */
export function validationError(field: string, constraint: string, value?: string) {
  const shown = value === undefined ? "" : ` '${value}'`;
  return invalidParameter(
    `1 validation error detected: Value${shown} at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

export const missing = (field: string) => validationError(field, "Member must not be null");
