/** Reading what an evaluation recorded: typed access to the inputs and state of a resource. */
import type { Evaluation, RecordedResource } from "@userprofile/sst-offline/evaluate";
import { componentOf } from "@userprofile/sst-offline/resources";
import type { Origin } from "../spec";

export type { Evaluation, RecordedResource };

/** Refused at start: what the local stack can't serve, named so the developer can act. */
export interface Refusal {
  type: string;
  name: string;
  origin: Origin;
  /** What is not emulated, and what to do instead. */
  reason: string;
}

export class Recorded {
  private readonly byUrn: Map<string, RecordedResource>;

  constructor(readonly evaluation: Evaluation) {
    this.byUrn = new Map(evaluation.resources.map((r) => [r.urn, r]));
  }

  ofType(type: string): RecordedResource[] {
    return this.evaluation.resources.filter((r) => r.type === type);
  }

  childrenOf(parent: RecordedResource, type: string): RecordedResource[] {
    return this.evaluation.resources.filter((r) => r.parent === parent.urn && r.type === type);
  }

  parentOf(resource: RecordedResource): RecordedResource | undefined {
    return this.byUrn.get(resource.parent);
  }

  /** The SST component a resource belongs to, as sst.config.ts names it. */
  origin(resource: RecordedResource): Origin {
    const component = componentOf(this.evaluation, resource);
    return { component: component.type, name: component.name };
  }

  /** The first resource of `type` whose state has `key` equal to `value`. */
  find(type: string, key: string, value: unknown): RecordedResource | undefined {
    return this.ofType(type).find((r) => r.state[key] === value);
  }
}

export function text(resource: RecordedResource, key: string): string {
  const value = resource.state[key] ?? resource.inputs[key];
  if (typeof value !== "string") throw new Error(`${resource.name} has no ${key}.`);
  return value;
}

export function optionalText(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

export function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(record) : [];
}

export function numberOr(value: unknown, fallback: number): number {
  const parsed = typeof value === "string" ? Number(value) : value;
  return typeof parsed === "number" && Number.isFinite(parsed) ? parsed : fallback;
}

export function optionalNumber(value: unknown): number | undefined {
  const parsed = typeof value === "string" ? Number(value) : value;
  return typeof parsed === "number" && Number.isFinite(parsed) ? parsed : undefined;
}
