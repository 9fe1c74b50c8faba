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
  /** index.html (its CSS inline) and the scripts the first screen loads; 112.3 kB (JS + CSS) before issue 17. */
  webInitialDownloadGzipKB: 90,
  webInitialDownloadVsAuthenticator: 0.5,
  localStackReadySeconds: 5,
  /** The app's FCP and LCP ÷ the one-heading floor page's, Lighthouse mobile, same run. */
  webPaintVsFloor: 1.25,
  /** Lighthouse category scores the production build must keep (mobile preset). */
  webPerformanceScore: 99,
  webAccessibilityScore: 100,
  webBestPracticesScore: 100,
} as const;
