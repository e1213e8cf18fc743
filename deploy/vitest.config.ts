import { defineConfig } from "vitest/config";

// The deploy tests start real processes (nginx, supervisord, several servers): one file at a time.
export default defineConfig({
  test: { testTimeout: 60_000, hookTimeout: 120_000, fileParallelism: false },
});
