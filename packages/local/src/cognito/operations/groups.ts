import type { Services } from "../context";
import { CognitoError, userNotFound } from "../errors";
import { optionalString, type Request, requiredString, username } from "../input";
import type { Group, Pool } from "../pool";

const groupNotFound = () => new CognitoError("ResourceNotFoundException", "Group not found.");

function groupType(pool: Pool, group: Group) {
  return { ...group, UserPoolId: pool.id };
}

async function member(services: Services, req: Request) {
  const pool = services.pools.pool(req.UserPoolId);
  const user = await pool.findUser(username(req));
  if (!user) throw userNotFound();
  return { pool, user };
}

export const groupOperations = {
  async CreateGroup(services: Services, req: Request) {
    const pool = services.pools.pool(req.UserPoolId);
    const name = requiredString(req, "GroupName", "groupName");
    if (await pool.getGroup(name)) {
      throw new CognitoError("GroupExistsException", "A group with the name already exists.");
    }
    const now = services.clock.now().getTime() / 1000;
    const group: Group = {
      GroupName: name,
      ...(typeof req.Description === "string" ? { Description: req.Description } : {}),
      ...(typeof req.Precedence === "number" ? { Precedence: req.Precedence } : {}),
      ...(typeof req.RoleArn === "string" ? { RoleArn: req.RoleArn } : {}),
      CreationDate: now,
      LastModifiedDate: now,
    };
    await pool.putGroup(group);
    return { Group: groupType(pool, group) };
  },

  async GetGroup(services: Services, req: Request) {
    const pool = services.pools.pool(req.UserPoolId);
    const group = await pool.getGroup(requiredString(req, "GroupName", "groupName"));
    if (!group) throw groupNotFound();
    return { Group: groupType(pool, group) };
  },

  async ListGroups(services: Services, req: Request) {
    const pool = services.pools.pool(req.UserPoolId);
    const limit = typeof req.Limit === "number" && req.Limit > 0 ? req.Limit : 60;
    const after = optionalString(req, "NextToken");
    const groups = (await pool.groups()).filter((g) => after === undefined || g.GroupName > after);
    const page = groups.slice(0, limit);
    const last = page.at(-1);
    return {
      Groups: page.map((g) => groupType(pool, g)),
      ...(last && groups.length > limit ? { NextToken: last.GroupName } : {}),
    };
  },

  async DeleteGroup(services: Services, req: Request) {
    const pool = services.pools.pool(req.UserPoolId);
    const name = requiredString(req, "GroupName", "groupName");
    if (!(await pool.getGroup(name))) throw groupNotFound();
    await pool.deleteGroup(name);
    return {};
  },

  async AdminAddUserToGroup(services: Services, req: Request) {
    const { pool, user } = await member(services, req);
    const name = requiredString(req, "GroupName", "groupName");
    if (!(await pool.getGroup(name))) throw groupNotFound();
    await pool.setMembership(user.username, name, true);
    return {};
  },

  async AdminRemoveUserFromGroup(services: Services, req: Request) {
    const { pool, user } = await member(services, req);
    const name = requiredString(req, "GroupName", "groupName");
    if (!(await pool.getGroup(name))) throw groupNotFound();
    await pool.setMembership(user.username, name, false);
    return {};
  },

  async AdminListGroupsForUser(services: Services, req: Request) {
    const { pool, user } = await member(services, req);
    const names = await pool.groupsOf(user.username);
    const groups = await Promise.all(names.map((n) => pool.getGroup(n)));
    return {
      Groups: groups.filter((g): g is Group => g !== undefined).map((g) => groupType(pool, g)),
    };
  },
};
