import { describe, expect, it } from "vitest";
import { cognitoMonthly, costs } from "../src/cost";

const inputs = { triggerColdMs: 160, triggerWarmMs: 4, readColdMs: 200, readWarmMs: 4 };

describe("Cognito's monthly bill on paper", () => {
  // Worked by hand from the published tiers (us-east-1, 2025).
  it("prices Lite by its marginal tiers after 10,000 free MAUs", () => {
    expect(cognitoMonthly("LITE", 10_000)).toBe(0);
    expect(cognitoMonthly("LITE", 50_000)).toBeCloseTo(40_000 * 0.0055, 6);
    // 90,000 × $0.0055 + 900,000 × $0.0046
    expect(cognitoMonthly("LITE", 1_000_000)).toBeCloseTo(4_635, 6);
    // ... + 1,000,000 × $0.00325
    expect(cognitoMonthly("LITE", 2_000_000)).toBeCloseTo(7_885, 6);
  });

  it("prices Essentials at one rate after 10,000 free MAUs, about 3× Lite at scale", () => {
    expect(cognitoMonthly("ESSENTIALS", 9_999)).toBe(0);
    expect(cognitoMonthly("ESSENTIALS", 1_000_000)).toBeCloseTo(14_850, 6);
    expect(cognitoMonthly("ESSENTIALS", 1_000_000) / cognitoMonthly("LITE", 1_000_000)).toBeCloseTo(
      3.2,
      1,
    );
  });

  it("prices Plus from the first MAU", () => {
    expect(cognitoMonthly("PLUS", 1_000)).toBeCloseTo(20, 6);
  });
});

describe("the cost table", () => {
  it("charges the chosen plan and shows every plan beside it", () => {
    const lite = costs(inputs, "LITE");
    const essentials = costs(inputs, "ESSENTIALS");
    const million = (c: typeof lite) => c.months.find((m) => m.users === 1_000_000);
    expect(lite.cognitoPlan).toBe("LITE");
    expect(million(lite)?.cognito).toBeCloseTo(4_635, 6);
    expect(million(essentials)?.cognito).toBeCloseTo(14_850, 6);
    expect(million(lite)?.cognitoByPlan).toEqual(million(essentials)?.cognitoByPlan);
    expect(million(lite)?.backend).toBe(million(essentials)?.backend);
  });

  it("prices the plan deploy would use: Essentials for passkeys, Lite for passwords only, or COGNITO_PLAN", () => {
    const saved = { plan: process.env.COGNITO_PLAN, methods: process.env.SIGN_IN_METHODS };
    try {
      delete process.env.COGNITO_PLAN;
      delete process.env.SIGN_IN_METHODS;
      expect(costs(inputs).cognitoPlan).toBe("ESSENTIALS");
      process.env.SIGN_IN_METHODS = "password";
      expect(costs(inputs).cognitoPlan).toBe("LITE");
      process.env.COGNITO_PLAN = "plus";
      expect(costs(inputs).cognitoPlan).toBe("PLUS");
    } finally {
      for (const [name, value] of [
        ["COGNITO_PLAN", saved.plan],
        ["SIGN_IN_METHODS", saved.methods],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
