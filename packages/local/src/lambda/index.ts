import { createServer } from "node:http";
import { isDeepStrictEqual } from "node:util";
import { accessKeyIdOf, type LocalIam } from "../iam";
import { protectServer, TrustedOrigins } from "../local-safety";
import { close, guarded, listen } from "../net";
import { sendLambdaError, serveInvoke } from "./invoke-api";
import { callerRefusal, type ServiceCaller, servicePermitted } from "./invoke-policy";
import { FunctionRunner, type InvokeResult, type LocalFunction } from "./runner";

export type { FunctionError, InvokeResult, LocalFunction } from "./runner";

/** Who asks for an invocation: a service (the user pool, API Gateway) on behalf of a resource. */
export type InvokeCaller = ServiceCaller;

export interface LambdaService {
  endpoint: string;
  /** Resolves when every deployed function's first build has ended. */
  built(): Promise<void>;
  /**
   * Loads the functions the service runs, by name. A function whose definition is unchanged
   * keeps running (and keeps its build); the others are rebuilt; missing ones stop.
   */
  deploy(functions: Record<string, LocalFunction>): Promise<void>;
  invoke(name: string, event: unknown, caller?: InvokeCaller): Promise<InvokeResult>;
  stop(): Promise<void>;
}

/**
 * A local Lambda service: the functions run from their TypeScript sources and
 * are reachable in-process and over the Lambda Invoke API. It listens before its
 * functions are deployed, so the other services can be given its endpoint.
 */
export async function startLambda(options: {
  port: number;
  host?: string;
  /** The project root handler paths are relative to. */
  root: string;
  outDir: string;
  /** Named in the ARN of a function that does not exist. */
  region: string;
  accountId: string;
  /** Receives the service's notices and every line a function prints, prefixed with its name. */
  log?: (line: string) => void;
  /** Decides what signed callers of the Invoke API may invoke; without it, any signed caller. */
  iam?: LocalIam;
}): Promise<LambdaService> {
  const host = options.host ?? "127.0.0.1";
  const log = options.log ?? (() => {});
  let runners = new Map<string, FunctionRunner>();
  const arnOf = (name: string) =>
    runners.get(name)?.definition.arn ??
    `arn:aws:lambda:${options.region}:${options.accountId}:function:${name}`;

  const deploy = async (functions: Record<string, LocalFunction>) => {
    const next = new Map<string, FunctionRunner>();
    const started: FunctionRunner[] = [];
    for (const [name, definition] of Object.entries(functions)) {
      const current = runners.get(name);
      if (current && isDeepStrictEqual(current.definition, definition)) {
        next.set(name, current);
        continue;
      }
      const runner = new FunctionRunner(name, definition, options.root, options.outDir, log);
      next.set(name, runner);
      started.push(runner);
    }
    await Promise.all(started.map((runner) => runner.start()));
    const retired = [...runners.values()].filter((runner) => next.get(runner.name) !== runner);
    runners = next;
    await Promise.all(retired.map((runner) => runner.stop()));
  };

  const invoke = async (
    name: string,
    event: unknown,
    caller?: InvokeCaller,
  ): Promise<InvokeResult> => {
    const runner = runners.get(name);
    if (!runner) {
      return {
        ok: false,
        error: {
          errorType: "ResourceNotFoundException",
          errorMessage: `Function not found: ${arnOf(name)}`,
        },
      };
    }
    const permissions = runner.definition.invokePermissions;
    if (caller && permissions && !servicePermitted(permissions, caller)) {
      log(
        `lambda: ${caller.principal} may not invoke ${runner.definition.label} for ${caller.sourceArn}`,
      );
      return {
        ok: false,
        error: {
          errorType: "AccessDeniedException",
          errorMessage: `The function's resource-based policy does not allow ${caller.principal} to invoke it for ${caller.sourceArn}`,
        },
      };
    }
    const result = await runner.invoke(event);
    if (!result.ok) log(`${runner.definition.label} failed: ${result.error.errorType}`);
    return result;
  };

  const server = createServer(
    guarded(
      (request, response) =>
        serveInvoke(request, response, {
          list: () =>
            [...runners.values()].map(({ name, definition }) => ({
              FunctionName: name,
              FunctionArn: definition.arn,
              Runtime: definition.runtime,
              Timeout: definition.timeoutMs / 1000,
              MemorySize: definition.memoryMB,
              Version: "$LATEST" as const,
            })),
          has: (name) => runners.has(name),
          invoke: (name, event) => invoke(name, event),
          arnOf,
          refusal: (request, name) =>
            options.iam
              ? callerRefusal(
                  options.iam,
                  accessKeyIdOf(request),
                  arnOf(name),
                  runners.get(name)?.definition.invokePermissions ?? [],
                )
              : null,
          log,
        }),
      (error) => log(`lambda: request failed: ${String(error)}`),
      (response) => sendLambdaError(response, 500, "ServiceException", "Service", "Internal error"),
    ),
  );
  // No web page has a reason to invoke a function directly.
  protectServer(server, { origins: new TrustedOrigins() });
  const port = await listen(server, options.port, host, "LOCAL_LAMBDA_PORT");

  return {
    endpoint: `http://${host}:${port}`,
    deploy,
    invoke,
    built: async () => {
      await Promise.all([...runners.values()].map((runner) => runner.built));
    },
    stop: async () => {
      await close(server);
      await Promise.all([...runners.values()].map((runner) => runner.stop()));
    },
  };
}
