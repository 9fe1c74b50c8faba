/**
 * The budgets `pnpm bench` reports. Bundle and download sizes are
 * deterministic, so test/budgets.test.ts enforces them with these same limits;
 * timings are only reported.
 */
export const limits = {
  /** Trigger bundle ÷ the minimal PutItem handler's, both built as this project deploys. */
  triggerBundleVsBaseline: 1.08,
  /**
   * Deployed trigger bundle ÷ the minimal PutItem handler built with SST's
   * defaults (unminified): what someone who picks a plain template ships.
   */
  triggerBundleVsSstDefaultBaseline: 0.45,
  /** Trigger cold start ÷ the minimal PutItem handler's, both as deployed, same run. */
  triggerColdStartVsBaseline: 1.1,
  handlerOverheadMs: 0.5,
  webInitialDownloadGzipKB: 115,
  webInitialDownloadVsAuthenticator: 0.5,
  localStackReadySeconds: 5,
} as const;
