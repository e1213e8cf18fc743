import { loadConfig } from "@mcp-tools/core";
import { reportFailure } from "./control.js";
import { setUpHttpTool, upstreamPortOf } from "./http-tool.js";
import { OURS_ENV, serveOurs } from "./serve-ours.js";

// Entry of our HTTP server for the HTTP tool scenarios: set up as servers/ours.ts, plus an approved
// HTTP tool calling the upstream on loopback, which EGRESS_ALLOW lets it reach.
try {
  const port = upstreamPortOf(process.argv);
  await serveOurs(() => loadConfig({ ...OURS_ENV, EGRESS_ALLOW: "127.0.0.1" }), {
    createKey: true,
    prepare: (ctx) => setUpHttpTool(ctx, port),
  });
} catch (error) {
  reportFailure(error);
}
