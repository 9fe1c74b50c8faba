// `pnpm typecheck` runs this first. Type-checking sst.config.ts needs the platform's types,
// and handlers that read `Resource.<Name>` need sst-env.d.ts to list what infra/ links, as
// `sst dev` would have written it.
import { join } from "node:path";
import { evaluateCached } from "./evaluate/index";
import { ensurePlatform, platformInstalled } from "./platform";
import { writeResourceTypes } from "./resource-types";

const root = process.cwd();
if (platformInstalled(root)) console.log("SST platform is installed.");
else ensurePlatform(root);

const { evaluation } = await evaluateCached({
  root,
  stage: process.env.SST_STAGE ?? "local",
  dev: true,
  cacheFile: join(root, ".local", "cache", "types-evaluation.json"),
});
if (writeResourceTypes(root, evaluation)) console.log("sst-env.d.ts updated from sst.config.ts.");
