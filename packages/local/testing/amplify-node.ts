import { Amplify } from "aws-amplify";
import { fetchAuthSession, signIn, signOut } from "aws-amplify/auth";
import { cognitoUserPoolsTokenProvider } from "aws-amplify/auth/cognito";

const tokenStore = new Map<string, string>();

/**
 * Points Amplify v6 in Node at a user pool: the local emulator when an
 * endpoint is given, AWS otherwise. Tests and the bench sign in through it,
 * so the SRP client is exactly the one the web app runs.
 */
export function configureAmplifyInNode(pool: {
  userPoolId: string;
  userPoolClientId: string;
  cognitoEndpoint?: string | undefined;
}) {
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: pool.userPoolId,
        userPoolClientId: pool.userPoolClientId,
        ...(pool.cognitoEndpoint ? { userPoolEndpoint: pool.cognitoEndpoint } : {}),
        loginWith: { email: true },
      },
    },
  });
  cognitoUserPoolsTokenProvider.setKeyValueStorage({
    setItem: async (key, value) => void tokenStore.set(key, value),
    getItem: async (key) => tokenStore.get(key) ?? null,
    removeItem: async (key) => void tokenStore.delete(key),
    clear: async () => tokenStore.clear(),
  });
}

/**
 * Signs in with Amplify's default SRP flow and stays signed in (a later
 * `signOut()` revokes the session, as in the web app); returns the tokens,
 * the refresh token included.
 */
export async function srpSignInSession(email: string, password: string) {
  await signOut();
  const result = await signIn({ username: email, password });
  if (!result.isSignedIn) throw new Error(`Sign-in stopped at ${result.nextStep.signInStep}`);
  const { tokens } = await fetchAuthSession();
  const refreshToken = [...tokenStore].find(([key]) => key.endsWith(".refreshToken"))?.[1];
  const idToken = tokens?.idToken?.toString();
  const accessToken = tokens?.accessToken?.toString();
  if (!idToken || !accessToken || !refreshToken) throw new Error("No tokens after sign-in");
  return { idToken, accessToken, refreshToken };
}

/** Signs in with Amplify's default SRP flow and returns the tokens, signed out again. */
export async function srpSignIn(email: string, password: string) {
  await signOut();
  const result = await signIn({ username: email, password });
  if (!result.isSignedIn) throw new Error(`Sign-in stopped at ${result.nextStep.signInStep}`);
  const { tokens } = await fetchAuthSession();
  const idToken = tokens?.idToken?.toString();
  const accessToken = tokens?.accessToken?.toString();
  if (!idToken || !accessToken) throw new Error("No tokens after sign-in");
  await signOut();
  return { idToken, accessToken };
}
