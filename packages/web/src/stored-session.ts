/**
 * Whether Amplify has tokens stored for this client (its own localStorage
 * keys), read without loading Amplify. It is a hint, enough to choose the
 * first screen: Amplify checks the tokens themselves when it loads.
 */
export function hasStoredSession(clientId: string, storage: Storage | undefined = safeStorage()) {
  if (!storage) return false;
  const prefix = `CognitoIdentityServiceProvider.${clientId}`;
  try {
    const user = storage.getItem(`${prefix}.LastAuthUser`);
    return Boolean(user && storage.getItem(`${prefix}.${user}.refreshToken`));
  } catch {
    return false;
  }
}

function safeStorage(): Storage | undefined {
  try {
    return typeof localStorage === "undefined" ? undefined : localStorage;
  } catch {
    return undefined;
  }
}
