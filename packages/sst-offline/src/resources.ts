/** Finding things in what an evaluation recorded, the way a reader of the console would. */
import type { Evaluation, RecordedResource } from "./evaluate/index";

export function ofType(
  evaluation: Pick<Evaluation, "resources">,
  type: string,
): RecordedResource[] {
  return evaluation.resources.filter((resource) => resource.type === type);
}

export function only<T>(items: T[], what: string): T {
  const [item, ...rest] = items;
  if (!item || rest.length) throw new Error(`Expected exactly one ${what}, found ${items.length}.`);
  return item;
}

export function childrenOf(
  evaluation: Pick<Evaluation, "resources">,
  parent: RecordedResource,
  type?: string,
): RecordedResource[] {
  return evaluation.resources.filter(
    (r) => r.parent === parent.urn && (type === undefined || r.type === type),
  );
}

/** The nearest ancestor that is an SST component (`sst:…`), or the resource itself. */
export function componentOf(
  evaluation: Pick<Evaluation, "resources">,
  resource: RecordedResource,
): RecordedResource {
  const byUrn = new Map(evaluation.resources.map((r) => [r.urn, r]));
  let current: RecordedResource | undefined = resource;
  while (current) {
    if (current.type.startsWith("sst:")) return current;
    current = byUrn.get(current.parent);
  }
  return resource;
}

export interface Statement {
  effect: string;
  actions: string[];
  resources: string[];
}

const toArray = (value: unknown): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)];

/** The statements of a role's inline policies, each action and resource as a list. */
export function inlineStatements(role: RecordedResource): Statement[] {
  const policies = (role.inputs.inlinePolicies ?? []) as { policy?: string }[];
  return policies.flatMap((policy) => {
    const document = JSON.parse(policy.policy ?? "{}") as { Statement?: Record<string, unknown>[] };
    return (document.Statement ?? []).map((s) => ({
      effect: String(s.Effect),
      actions: toArray(s.Action),
      resources: toArray(s.Resource),
    }));
  });
}

export interface DeployedFunction {
  component: RecordedResource;
  lambda: RecordedResource;
  role: RecordedResource;
}

/** The function SST deploys for a handler (`packages/.../file.handler`), found by its metadata. */
export function functionWithHandler(
  evaluation: Pick<Evaluation, "resources">,
  handler: string,
): DeployedFunction {
  const component = only(
    ofType(evaluation, "sst:aws:Function").filter((f) => {
      const metadata = f.outputs?._metadata as { handler?: string } | undefined;
      return metadata?.handler === handler;
    }),
    `function with handler ${handler}`,
  );
  return {
    component,
    lambda: only(childrenOf(evaluation, component, "aws:lambda/function:Function"), "lambda"),
    role: only(childrenOf(evaluation, component, "aws:iam/role:Role"), "role"),
  };
}
