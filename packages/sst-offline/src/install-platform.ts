// `pnpm typecheck` runs this first: type-checking sst.config.ts needs the platform's types.
import { ensurePlatform, platformInstalled } from "./platform";

const root = process.cwd();
if (platformInstalled(root)) console.log("SST platform is installed.");
else ensurePlatform(root);
