import { defineConfig, type Options } from "tsup";
import shared from "../../tsup.config.js";

// The baseline stdio server, bundled as our services are: spawn → first answer then compares two
// bundles run by plain node, not a bundle with a server compiled at start by a TypeScript loader.
if (typeof shared === "function" || Array.isArray(shared)) {
  throw new Error("tsup.config.ts at the root must export one options object");
}
const base: Options = shared;

export default defineConfig({
  ...base,
  entry: { "bare-sdk-stdio": "src/servers/bare-sdk-stdio.ts" },
  // It reads no migrations: nothing to copy beside it.
  onSuccess: undefined,
});
