import { afterEach, describe, expect, it } from "vitest";
import { quietSdkNodeWarning } from "../src/aws-tools";

const NAME = "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED";
const before = process.env[NAME];

afterEach(() => {
  if (before === undefined) delete process.env[NAME];
  else process.env[NAME] = before;
});

describe("quietSdkNodeWarning", () => {
  it("turns the SDK's Node-version warning off, unless the environment already decided", () => {
    delete process.env[NAME];
    quietSdkNodeWarning();
    expect(process.env[NAME]).toBe("true");
    process.env[NAME] = "false";
    quietSdkNodeWarning();
    expect(process.env[NAME]).toBe("false");
  });
});
