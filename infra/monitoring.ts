import { postConfirmationOutcomes } from "@userprofile/functions/definitions";
import { api } from "./api";
import { postConfirmationTrigger } from "./auth";

/**
 * Where the alarms report. Subscribe to it (the `alarmTopic` output) by email, chat or a pager:
 * `aws sns subscribe --topic-arn <alarmTopic> --protocol email --notification-endpoint you@example.com`.
 */
export const alarmTopic = new sst.aws.SnsTopic("Alarms");

/** One namespace per stage, so stages sharing an account never mix their counts. */
export const metricNamespace = `${$app.name}/${$app.stage}`;

const triggerLogGroup = postConfirmationTrigger.nodes.logGroup.apply((group) => {
  if (!group) throw new Error("The post-confirmation trigger needs its log group for monitoring.");
  return group.name;
});

/** Counts each outcome the trigger logs (`{"outcome":"created"}`...) as a metric of its own. */
export const outcomeFilters = postConfirmationOutcomes.map(
  (outcome) =>
    new aws.cloudwatch.LogMetricFilter(`PostConfirmationOutcome-${outcome}`, {
      logGroupName: triggerLogGroup,
      pattern: `{ $.outcome = "${outcome}" }`,
      metricTransformation: {
        namespace: metricNamespace,
        name: `PostConfirmation-${outcome}`,
        value: "1",
        unit: "Count",
      },
    }),
);

const notify = { alarmActions: [alarmTopic.arn], okActions: [alarmTopic.arn] };
/** Any failure in a 5-minute window raises the alarm; a quiet window clears it. */
const anyInFiveMinutes = {
  statistic: "Sum",
  period: 300,
  evaluationPeriods: 1,
  threshold: 1,
  comparisonOperator: "GreaterThanOrEqualToThreshold",
  treatMissingData: "notBreaching",
};

export const triggerErrorsAlarm = new aws.cloudwatch.MetricAlarm("PostConfirmationErrors", {
  name: `${$app.name}-${$app.stage}-post-confirmation-errors`,
  alarmDescription:
    "The post-confirmation trigger failed (error or timeout): a confirmed user may have no profile. " +
    "GET /me rebuilds it at the user's next sign-in; `pnpm users:reconcile --stage <stage> --apply` " +
    "heals every user at once. The trigger's log group has the userId and the error.",
  namespace: "AWS/Lambda",
  metricName: "Errors",
  dimensions: { FunctionName: postConfirmationTrigger.name },
  ...anyInFiveMinutes,
  ...notify,
});

export const api5xxAlarm = new aws.cloudwatch.MetricAlarm("Api5xx", {
  name: `${$app.name}-${$app.stage}-api-5xx`,
  alarmDescription:
    "The profile API answered 5xx: a handler failed or timed out, or Lambda throttled. " +
    "The API's access log names the route; the function's log has the error.",
  namespace: "AWS/ApiGateway",
  // HTTP APIs publish `5xx` (REST APIs publish `5XXError`), per API under the ApiId dimension.
  metricName: "5xx",
  dimensions: { ApiId: api.nodes.api.id },
  ...anyInFiveMinutes,
  ...notify,
});
