/**
 * A SigV4 Authorization header as the AWS SDKs send it, for tests that call the local
 * ports with plain fetch: the emulators want a signature's presence and its key, not its
 * validity. `accessKeyId` defaults to a key the local IAM did not issue (full access).
 */
export function signedHeaders(service: string, accessKeyId = "local"): Record<string, string> {
  return {
    authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=0`,
    "x-amz-date": "20260101T000000Z",
  };
}
