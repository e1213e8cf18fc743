import { defineConfig, type Options } from "tsup";
import shared from "../../tsup.config.js";

// The shared bundle, plus dist/migrate.js: the one-shot migrate step of a deployment (the compose
// `migrate` service, the Kubernetes Job) runs it with plain node, beside the same dist/drizzle.
if (typeof shared === "function" || Array.isArray(shared)) {
  throw new Error("tsup.config.ts at the root must export one options object");
}
const base: Options = shared;

export default defineConfig({
  ...base,
  entry: { main: "src/main.ts", migrate: "../../packages/core/src/db/migrate-cli.ts" },
});
