/**
 * Who may invoke a function, as Lambda decides it: a service (the user pool, API Gateway)
 * only through the function's resource-based policy (`aws:lambda/permission`), a caller in
 * the same account through either its own identity-based policy or that resource policy
 * (https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html).
 */
import { allows, type LocalIam } from "../iam";
import type { InvokePermission } from "../spec";

const ACTION = "lambda:InvokeFunction";

/** A service principal invoking on behalf of one of its resources. */
export interface ServiceCaller {
  principal: string;
  sourceArn: string;
}

/** Whether one of the function's permissions lets this service, for this resource, invoke it. */
export function servicePermitted(permissions: readonly InvokePermission[], caller: ServiceCaller) {
  return permissions.some(
    (permission) =>
      permission.principal === caller.principal &&
      allows(
        [
          {
            effect: "Allow",
            actions: [permission.action],
            resources: [permission.sourceArn ?? "*"],
          },
        ],
        ACTION,
        caller.sourceArn,
      ),
  );
}

/**
 * Null when a signed HTTP caller may invoke the function; otherwise Lambda's
 * AccessDeniedException message. Keys the local IAM did not issue (developers' tools and
 * tests) act as the account's administrator; a function's key as its execution role.
 */
export function callerRefusal(
  iam: LocalIam,
  accessKeyId: string | undefined,
  functionArn: string,
  permissions: readonly InvokePermission[],
): string | null {
  if (!iam.governs(accessKeyId)) return null;
  const roleArn = iam.roleArnOf(accessKeyId);
  const namedInPolicy = permissions.some(
    (permission) =>
      permission.principal === roleArn &&
      allows([{ effect: "Allow", actions: [permission.action], resources: ["*"] }], ACTION, "*"),
  );
  if (namedInPolicy) return null;
  const denial = iam.check(accessKeyId, ACTION, [functionArn]);
  return denial?.message ?? null;
}
