/**
 * What the GitHub Actions workflows promise (docs/production.md): tests on every pull request and
 * push to main, a preview stage per pull request, production from main after CI. actionlint
 * (`pnpm check`) checks that they are valid; this checks that they do what the docs say.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { settingVariables } from "../deploy-settings";
import { repoRoot } from "./evaluate";

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  environment?: string | { name: string; url?: string };
  concurrency?: { group: string; "cancel-in-progress": boolean | string };
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, Record<string, unknown> | null>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean | string };
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

function workflow(file: string): Workflow {
  return parse(readFileSync(join(repoRoot, ".github", "workflows", file), "utf8")) as Workflow;
}

const ci = workflow("ci.yml");
const deploy = workflow("deploy.yml");

function job(flow: Workflow, name: string): Job {
  const found = flow.jobs[name];
  if (!found) throw new Error(`No job ${name} in ${flow.name}.`);
  return found;
}
/** A GitHub Actions expression as it appears in the YAML: `${{ body }}`. */
const gha = (body: string) => `\${{ ${body} }}`;
const runs = (j: Job) => j.steps.flatMap((s) => (s.run ? [s.run] : []));
const environmentOf = (j: Job) =>
  typeof j.environment === "string" ? j.environment : j.environment?.name;
const awsLogin = (j: Job) =>
  j.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));

describe("CI workflow", () => {
  it("runs .ci/run on pull requests and on pushes to main", () => {
    expect(Object.keys(ci.on).sort()).toEqual(["pull_request", "push"]);
    expect(ci.on.push).toEqual({ branches: ["main"] });
    expect(Object.values(ci.jobs).flatMap(runs)).toContain("bash .ci/run");
  });

  it("cancels a superseded pull request run, never a run on main", () => {
    expect(ci.concurrency?.group).toContain("github.event.pull_request.number");
    expect(ci.concurrency?.["cancel-in-progress"]).toBe(gha("github.event_name == 'pull_request'"));
  });

  it("only reads the repository", () => {
    expect(ci.permissions).toEqual({ contents: "read" });
  });
});

describe("Deploy workflow", () => {
  const preview = job(deploy, "preview");
  const removePreview = job(deploy, "remove-preview");
  const production = job(deploy, "production");

  it("signs in to AWS with GitHub's OIDC token and a role, never stored keys", () => {
    expect(deploy.permissions).toEqual({ "id-token": "write", contents: "read" });
    for (const j of [preview, removePreview, production]) {
      const login = awsLogin(j);
      expect(login?.with).toEqual({
        "role-to-assume": gha("vars.AWS_ROLE_ARN"),
        "aws-region": gha("vars.AWS_REGION"),
      });
      // The role's trust policy names the environment (sub = repo:<owner>/<repo>:environment:<name>).
      expect(environmentOf(j)).toBeDefined();
    }
    expect(JSON.stringify(deploy)).not.toMatch(/aws-access-key-id|aws-secret-access-key/);
  });

  it("deploys production from main only after CI passed on that commit", () => {
    expect(deploy.on.workflow_run).toEqual({
      workflows: [ci.name],
      types: ["completed"],
      branches: ["main"],
    });
    expect(production.if).toContain("github.event.workflow_run.conclusion == 'success'");
    expect(production.if).toContain("github.event.workflow_run.event == 'push'");
    expect(production.steps[0]?.with?.ref).toBe(gha("github.event.workflow_run.head_sha"));
    expect(runs(production).join("\n")).toContain("sst deploy --stage production");
    expect(environmentOf(production)).toBe("production");
    expect(production.concurrency).toEqual({
      group: "deploy-production",
      "cancel-in-progress": false,
    });
  });

  it("deploys a pr-<number> stage when a pull request opens or changes", () => {
    expect(deploy.on.pull_request?.types).toEqual(
      expect.arrayContaining(["opened", "reopened", "synchronize", "closed"]),
    );
    expect(preview.if).toContain("github.event.action != 'closed'");
    expect(runs(preview).join("\n")).toContain(
      `sst deploy --stage "pr-${gha("github.event.pull_request.number")}"`,
    );
    expect(environmentOf(preview)).toBe("preview");
  });

  it("removes that stage when the pull request closes, after any deploy still running", () => {
    expect(removePreview.if).toContain("github.event.action == 'closed'");
    expect(runs(removePreview).join("\n")).toContain(
      `sst remove --stage "pr-${gha("github.event.pull_request.number")}"`,
    );
    expect(removePreview.concurrency).toEqual(preview.concurrency);
    expect(preview.concurrency).toEqual({
      group: `preview-pr-${gha("github.event.pull_request.number")}`,
      "cancel-in-progress": false,
    });
  });

  it("gives pull requests from forks no preview (and so no AWS credentials)", () => {
    for (const j of [preview, removePreview]) {
      expect(j.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
    }
  });

  it("passes every deploy setting from the job's environment", () => {
    for (const name of Object.values(settingVariables)) {
      expect(deploy.env?.[name], name).toBe(gha(`vars.${name}`));
    }
  });
});
