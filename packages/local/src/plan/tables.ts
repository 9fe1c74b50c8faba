/** DynamoDB tables with their keys, indexes and Time to Live, as the table resource sets them. */
import type { KeyType, ProjectionType, TableSpec } from "../spec";
import {
  optionalText,
  type Recorded,
  type Refusal,
  record,
  records,
  strings,
  text,
} from "./recorded";

const projection = (value: unknown): ProjectionType =>
  value === "KEYS_ONLY" || value === "INCLUDE" ? value : "ALL";

export function planTables(recorded: Recorded, refusals: Refusal[]): TableSpec[] {
  for (const read of recorded.evaluation.reads) {
    if (read.type !== "aws:dynamodb/table:Table") continue;
    refusals.push({
      type: read.type,
      name: read.name,
      origin: { component: "sst:aws:Dynamo", name: read.name },
      reason: `the program uses the existing table ${read.id} (\`Dynamo.get\`), whose keys the local stack cannot know; define the table in the local stage instead`,
    });
  }
  return recorded.ofType("aws:dynamodb/table:Table").map((table) => {
    const inputs = table.inputs;
    const ttl = record(inputs.ttl);
    const attributeName = optionalText(ttl.attributeName);
    return {
      name: text(table, "name"),
      arn: text(table, "arn"),
      origin: recorded.origin(table),
      attributes: records(inputs.attributes).map((a) => ({
        name: String(a.name),
        type: String(a.type) as KeyType,
      })),
      hashKey: String(inputs.hashKey),
      ...(optionalText(inputs.rangeKey) ? { rangeKey: String(inputs.rangeKey) } : {}),
      globalSecondaryIndexes: records(inputs.globalSecondaryIndexes).map((index) => ({
        name: String(index.name),
        hashKey: String(index.hashKey),
        ...(optionalText(index.rangeKey) ? { rangeKey: String(index.rangeKey) } : {}),
        projectionType: projection(index.projectionType),
        ...(strings(index.nonKeyAttributes).length
          ? { nonKeyAttributes: strings(index.nonKeyAttributes) }
          : {}),
      })),
      localSecondaryIndexes: records(inputs.localSecondaryIndexes).map((index) => ({
        name: String(index.name),
        rangeKey: String(index.rangeKey),
        projectionType: projection(index.projectionType),
        ...(strings(index.nonKeyAttributes).length
          ? { nonKeyAttributes: strings(index.nonKeyAttributes) }
          : {}),
      })),
      ...(attributeName && ttl.enabled !== false ? { timeToLive: { attributeName } } : {}),
    };
  });
}
