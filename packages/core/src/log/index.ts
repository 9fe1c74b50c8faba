type Level = "info" | "warn" | "error";
type Fields = Record<string, string | number | boolean | null | undefined>;

/**
 * One JSON object per line, so CloudWatch Logs Insights and metric filters see the fields at
 * the top level (`$.outcome`). Written to stdout/stderr directly: with Lambda's JSON log format,
 * `console.*` would wrap the line as a string inside its own `message` field, while a JSON line
 * with a `level` key on stdout is kept as it is (and filtered by that level).
 * Callers pass ids and error names only: never emails, names or tokens.
 */
function write(level: Level, message: string, fields: Fields = {}) {
  const line = `${JSON.stringify({ level, message, ...fields })}\n`;
  if (level === "info") process.stdout.write(line);
  else process.stderr.write(line);
}

export const log = {
  info: (message: string, fields?: Fields) => write("info", message, fields),
  warn: (message: string, fields?: Fields) => write("warn", message, fields),
  error: (message: string, fields?: Fields) => write("error", message, fields),
};

/**
 * What is safe to log about an error. AWS service errors are reduced to their
 * name and request id, since a service's message can echo request values.
 */
export function errorFields(error: unknown): Fields {
  if (!(error instanceof Error)) return { errorName: typeof error };
  const metadata = (error as { $metadata?: { httpStatusCode?: number; requestId?: string } })
    .$metadata;
  if (metadata) {
    return {
      errorName: error.name,
      // Network failures carry a system code such as ECONNREFUSED or ETIMEDOUT.
      errorCode: (error as { code?: string }).code,
      httpStatusCode: metadata.httpStatusCode,
      awsRequestId: metadata.requestId,
    };
  }
  return { errorName: error.name, errorMessage: error.message };
}
