import { functionDeployDefaults } from "@userprofile/functions/definitions";
import {
  functionBuildOptions,
  type NodeBuildProperties,
} from "@userprofile/sst-offline/function-build";

export { SST_ESBUILD_VERSION } from "@userprofile/sst-offline/function-build";

export interface DeployBuild {
  /** How the bench names bundles built this way ("" for the project's own). */
  label: string;
  runtime: string;
  nodejs: NodeBuildProperties;
}

/** How this project deploys its functions: the same object infra/functions.ts applies. */
export const projectBuild: DeployBuild = {
  label: "",
  runtime: functionDeployDefaults.runtime,
  nodejs: functionDeployDefaults.nodejs,
};

/** What a function gets from SST 4.17 when it sets neither `runtime` nor `nodejs`. */
export const sstDefaultBuild: DeployBuild = {
  label: "SST defaults",
  runtime: "nodejs24.x",
  nodejs: {},
};

/** `sst deploy`'s build of one function (see @userprofile/sst-offline/function-build). */
export function sstDeployBuildOptions(
  entry: string,
  outfile: string,
  build: DeployBuild,
  projectRoot: string,
) {
  return {
    ...functionBuildOptions({
      file: entry,
      outfile,
      runtime: build.runtime,
      dev: false,
      properties: build.nodejs,
      root: projectRoot,
    }),
    write: true,
  };
}
