import { runService } from "@mcp-tools/runner";
import { start } from "./start.js";

await runService("admin", async (ctx) => ({ services: [await start(ctx)] }));
