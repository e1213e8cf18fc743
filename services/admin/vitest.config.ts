import { defineConfig } from "vitest/config";

export default defineConfig({
  // --expose-gc: the memory test collects garbage before it measures the heap.
  test: { testTimeout: 30_000, hookTimeout: 60_000, execArgv: ["--expose-gc"] },
});
