import { describe, expect, it } from "vitest";
import { accountId, childrenOf, evaluate, only } from "./evaluate";
import { appResources, expectedWebEnvironment } from "./resources";

/** The web app offers what the stage's pool allows: infra/web.ts passes it to the site's build. */
describe("the sign-in methods the site offers", () => {
  const ses = {
    SES_FROM_ADDRESS: "Example <no-reply@example.com>",
    SES_IDENTITY_ARN: `arn:aws:ses:us-east-1:${accountId}:identity/example.com`,
  };
  const evaluations = {
    alice: evaluate({ stage: "alice" }),
    withSes: evaluate({ stage: "alice", env: ses }),
    passwordOnly: evaluate({ stage: "alice", env: { ...ses, SIGN_IN_METHODS: "password" } }),
  };
  for (const evaluation of Object.values(evaluations)) evaluation.catch(() => undefined);
  /** What the site is built with: its build command's environment. */
  const environmentOf = async (name: keyof typeof evaluations) => {
    const evaluation = await evaluations[name];
    const { site } = appResources(evaluation);
    const builder = only(childrenOf(evaluation, site, "command:local:Command"), "build");
    return builder.inputs.environment as Record<string, string>;
  };

  it("are the pool's first factors: no email codes on a stage without SES", async () => {
    const alice = await evaluations.alice;
    const environment = await environmentOf("alice");
    expect(environment).toEqual(expectedWebEnvironment(alice));
    expect(environment.VITE_SIGN_IN_FACTORS).toBe("PASSWORD,WEB_AUTHN");
    expect(environment.VITE_TOTP_MFA).toBe("on");
  });

  it("include email codes once SES is set, and only the password when that is all the pool allows", async () => {
    expect((await environmentOf("withSes")).VITE_SIGN_IN_FACTORS).toBe(
      "PASSWORD,EMAIL_OTP,WEB_AUTHN",
    );
    const passwordOnly = await evaluations.passwordOnly;
    expect((await environmentOf("passwordOnly")).VITE_SIGN_IN_FACTORS).toBe("PASSWORD");
    expect(appResources(passwordOnly).pool.inputs.signInPolicy).toBeUndefined();
  });
});
