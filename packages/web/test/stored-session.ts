/** What Amplify leaves in localStorage for a signed-in user of `clientId` (the keys the app reads). */
export function storeSession(clientId: string, username = "user-1") {
  const prefix = `CognitoIdentityServiceProvider.${clientId}`;
  localStorage.setItem(`${prefix}.LastAuthUser`, username);
  localStorage.setItem(`${prefix}.${username}.refreshToken`, "refresh-1");
}
