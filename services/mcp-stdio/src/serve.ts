import { runService } from "@mcp-tools/runner";
import { start } from "./start.js";

// A stdio server lives as long as its client keeps stdin open.
await runService("mcp-stdio", async (ctx) => {
  const service = await start(ctx);
  return { services: [service], done: service.closed };
});
