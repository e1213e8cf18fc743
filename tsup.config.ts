import { cpSync } from "node:fs";
import { defineConfig } from "tsup";

// Shared by every service: `pnpm build` in services/<name> bundles src/main.ts into dist/main.js,
// with the workspace's TypeScript and the npm dependencies inside, so plain `node` runs it.
// PGlite stays external: it loads its WebAssembly and data files from beside its own module.
// What a process loads only when configured (the PostgreSQL driver, ioredis) is imported
// dynamically and split into chunks beside main.js, so a local server never compiles it.
export default defineConfig({
  entry: { main: "src/main.ts" },
  outDir: "dist",
  format: "esm",
  platform: "node",
  target: "node20",
  clean: true,
  splitting: true,
  sourcemap: true,
  noExternal: [/^(?!@electric-sql\/pglite)/],
  external: ["@electric-sql/pglite"],
  // Some bundled CommonJS dependencies call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  onSuccess: async () => {
    // The migrations ship beside the bundle, where packages/core looks for them at run time.
    cpSync("../../packages/core/drizzle", "dist/drizzle", { recursive: true });
  },
});
