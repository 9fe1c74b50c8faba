import { describe, expect, it } from "vitest";
import { REFRESH_MARGIN_MS, refreshDelay } from "../src/session";

describe("refreshDelay", () => {
  it("refreshes ahead of expiry, never in a tight loop", () => {
    const now = 1_000_000_000_000;
    const inOneHour = (now + 3_600_000) / 1000;
    expect(refreshDelay(inOneHour, now)).toBe(3_600_000 - REFRESH_MARGIN_MS);
    expect(refreshDelay(now / 1000, now)).toBe(10_000);
  });
});
