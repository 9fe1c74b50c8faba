import { awsError } from "./dynalite";

/** TransactWriteItems: "A client request token is valid for 10 minutes after the first request that uses it is completed." */
const TOKEN_LIFETIME_MS = 10 * 60 * 1000;

interface TokenUse {
  fingerprint: string;
  finished: boolean;
  expiresAt: number;
}

/**
 * The ClientRequestToken of recent transactions, by the stack's clock. A token that completed a
 * transaction makes the same request succeed again without changes; the same token with other
 * parameters is refused; one still running is refused too. A cancelled transaction leaves no
 * token behind, so retrying it runs it again. Kept in memory: a restart forgets them.
 */
export class ClientTokens {
  private readonly uses = new Map<string, TokenUse>();

  constructor(private readonly now: () => Date) {}

  /** "replay" when the token already completed this very request; otherwise marks it running. */
  begin(token: string, fingerprint: string): "new" | "replay" {
    const now = this.now().getTime();
    for (const [key, use] of this.uses) {
      if (use.finished && use.expiresAt <= now) this.uses.delete(key);
    }
    const use = this.uses.get(token);
    if (!use) {
      this.uses.set(token, { fingerprint, finished: false, expiresAt: Number.POSITIVE_INFINITY });
      return "new";
    }
    if (use.fingerprint !== fingerprint) {
      throw awsError(
        "IdempotentParameterMismatchException",
        "The ClientRequestToken was used within the last 10 minutes by a TransactWriteItems request with other parameters",
        {},
        "Message",
      );
    }
    if (!use.finished) {
      throw awsError(
        "TransactionInProgressException",
        "A TransactWriteItems request with the same ClientRequestToken is still in progress",
        {},
        "Message",
      );
    }
    return "replay";
  }

  finish(token: string) {
    const use = this.uses.get(token);
    if (use)
      Object.assign(use, { finished: true, expiresAt: this.now().getTime() + TOKEN_LIFETIME_MS });
  }

  abandon(token: string) {
    this.uses.delete(token);
  }
}
