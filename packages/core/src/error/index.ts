export type VisibleErrorKind = "input" | "auth" | "not-found";

/**
 * The only error whose message may reach a caller. Anything else is logged
 * and answered with a generic message.
 */
export class VisibleError extends Error {
  constructor(
    public readonly kind: VisibleErrorKind,
    public readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "VisibleError";
  }
}
