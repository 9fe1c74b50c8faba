import { cleanup } from "@testing-library/react";
import { afterEach, vi } from "vitest";

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
  // Each test in a page starts a fresh visit: at /, with nothing stored.
  if (typeof window === "undefined") return;
  localStorage.clear();
  history.replaceState(null, "", "/");
});
