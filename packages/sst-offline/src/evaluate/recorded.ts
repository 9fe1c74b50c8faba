/** What one offline evaluation of `sst.config.ts` records. Shared by the evaluator and the mock runtime. */

export interface RecordedResource {
  type: string;
  name: string;
  urn: string;
  custom: boolean;
  parent: string;
  inputs: Record<string, unknown>;
  /** Inputs plus what the provider would compute (ids, ARNs, URLs), from the mocks. */
  state: Record<string, unknown>;
  options: { protect: boolean; retainOnDelete: boolean };
  /** Component outputs passed to `registerOutputs`, if any. */
  outputs?: Record<string, unknown>;
}

export interface RecordedRead {
  type: string;
  name: string;
  /** The physical id looked up, e.g. a table name. */
  id: string;
}

export interface RecordedCall {
  token: string;
  inputs: Record<string, unknown>;
}

export interface EnvironmentRead {
  variables: string[];
  /** Whether the program listed every variable (then any change may matter). */
  enumerated: boolean;
}

export interface MockRuntimeResult {
  resources: RecordedResource[];
  /** Existing resources the program only looks up (`aws.dynamodb.Table.get`...), never creates. */
  reads: RecordedRead[];
  invokes: RecordedCall[];
  outputs: Record<string, unknown>;
  /** The environment variables the program read (`enumerated`: it listed them all). */
  environment: EnvironmentRead;
  error?: string;
}

/** The region and account an evaluation runs in unless it is given others. */
export const defaultRegion = "us-east-1";
export const defaultAccountId = "123456789012";
/** The bucket the CLI's bootstrap reports for function code and live-mode assets. */
export const assetBucket = "sst-asset-test";
