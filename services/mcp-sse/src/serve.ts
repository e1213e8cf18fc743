import { runService } from "@mcp-tools/runner";
import { start } from "./start.js";

await runService("mcp-sse", async (ctx) => ({ services: [await start(ctx)] }));
