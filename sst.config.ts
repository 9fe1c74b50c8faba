/// <reference path="./.sst/platform/config.d.ts" />

export default $config({
  app(input) {
    const production = input?.stage === "production";
    return {
      name: "userprofile",
      // Per-developer stages clean up after themselves; production keeps its data.
      removal: production ? "retain" : "remove",
      protect: production,
      home: "aws",
      version: "4.17.1",
    };
  },
  async run() {
    await import("./infra/functions");
    const { usersTable } = await import("./infra/storage");
    const { userPool, webClient } = await import("./infra/auth");
    await import("./infra/router");
    const { api } = await import("./infra/api");
    const { site } = await import("./infra/web");
    const { alarmTopic } = await import("./infra/monitoring");

    return {
      region: aws.getRegionOutput().region,
      userPoolId: userPool.id,
      userPoolClientId: webClient.id,
      apiUrl: api.url,
      siteUrl: site.url,
      usersTable: usersTable.name,
      alarmTopic: alarmTopic.arn,
    };
  },
});
