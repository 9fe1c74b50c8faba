/**
 * For the repo's own Node tools that call AWS or its local emulators (the
 * CLIs, the e2e and ops tests, the bench); no handler uses them.
 */

/** Static credentials for the emulators: they accept any, and the SDK must not look for real ones. */
export const localCredentials = { accessKeyId: "local", secretAccessKey: "local" };

/**
 * Turns off the warning the AWS SDK prints with a process's first client,
 * that its releases after January 2027 need Node 22: the lockfile pins a
 * release that supports Node 20, so here it is noise. Call it before the
 * first client is made; a value already set wins.
 */
export function quietSdkNodeWarning() {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
}
