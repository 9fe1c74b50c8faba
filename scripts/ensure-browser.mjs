// The browser tests drive Chromium. Use CHROMIUM_PATH or Debian's
// /usr/bin/chromium; on a Debian machine where we are root, install it.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const configured = process.env.CHROMIUM_PATH;
if (configured) {
  if (!existsSync(configured)) {
    console.error(`CHROMIUM_PATH=${configured} does not exist.`);
    process.exit(1);
  }
} else if (!existsSync("/usr/bin/chromium")) {
  const canInstall = process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
  if (!canInstall) {
    console.error(
      "The browser tests need Chromium. Install it (Debian/Ubuntu: apt-get install chromium) " +
        "or set CHROMIUM_PATH to a Chromium or Chrome binary.",
    );
    process.exit(1);
  }
  console.log("Installing Chromium from apt (browser tests)...");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "inherit", env });
}
