import type { FunctionGrants } from "../definitions";

/**
 * The profile API's routes: infra deploys them and the local gateway serves
 * them from this one list. `grants` are the only actions each function's role
 * gets, on the Users table and on the user pool respectively.
 */
export interface ApiRoute {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  /** Handler path relative to the repo root, as SST expects it. */
  handler: string;
  grants: FunctionGrants;
}

export const apiRoutes: readonly ApiRoute[] = [
  {
    method: "GET",
    path: "/me",
    handler: "packages/functions/src/api/get-me.handler",
    grants: { table: ["GetItem", "PutItem"], userPool: ["AdminGetUser"] },
  },
  {
    method: "PATCH",
    path: "/me",
    handler: "packages/functions/src/api/patch-me.handler",
    grants: { table: ["UpdateItem", "GetItem", "PutItem"], userPool: ["AdminGetUser"] },
  },
  {
    // Called after the user verifies a new email: the pool's verified email becomes the profile's.
    method: "POST",
    path: "/me/email-sync",
    handler: "packages/functions/src/api/sync-email.handler",
    grants: { table: ["GetItem", "UpdateItem"], userPool: ["AdminGetUser"] },
  },
  {
    method: "DELETE",
    path: "/me",
    handler: "packages/functions/src/api/delete-me.handler",
    // The profile is replaced by a deletion marker (a put); the user is read
    // to check it is the caller's before it is deleted.
    grants: { table: ["PutItem"], userPool: ["AdminGetUser", "AdminDeleteUser"] },
  },
];

/** Methods the browser may send cross-origin. */
export const corsAllowMethods = [...new Set(apiRoutes.map((route) => route.method))];
/** Listed explicitly: `*` does not cover `Authorization` under the Fetch standard. */
export const corsAllowHeaders = ["authorization", "content-type"];
/** Origins of the web dev server (local stack, `sst dev` and non-permanent stages only). */
export const devOrigins = ["http://localhost:5173", "http://127.0.0.1:5173"];
