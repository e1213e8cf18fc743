import { start as startAdmin } from "@mcp-tools/admin";
import type { RunningService } from "@mcp-tools/core";
import { start as startHttp } from "@mcp-tools/mcp-sse";
import { start as startStdio } from "@mcp-tools/mcp-stdio";
import { type RunOptions, runService } from "@mcp-tools/runner";
import type { LauncherArgs } from "./args.js";

/** Starts the chosen services side by side on one shared context, with one graceful shutdown. */
export function launch({ transport, admin }: LauncherArgs, options: RunOptions = {}): Promise<void> {
  return runService(
    "launcher",
    async (ctx) => {
      const services: RunningService[] = [];
      const endpoints: Record<string, string> = {};
      let done: Promise<void> | undefined;
      if (transport !== "sse") {
        const stdio = await startStdio(ctx);
        services.push(stdio);
        // Whoever spawned us owns our lifetime: when they close stdin, everything stops.
        done = stdio.closed;
      }
      if (transport !== "stdio") {
        const http = await startHttp(ctx);
        services.push(http);
        endpoints.mcp = `${http.url}/mcp`;
        endpoints.legacySse = `${http.url}/sse`;
      }
      if (admin) {
        const adminService = await startAdmin(ctx);
        services.push(adminService);
        endpoints.admin = adminService.url;
      }
      ctx.log.info(
        { transport, ...endpoints },
        endpoints.mcp
          ? `ready: connect MCP clients to ${endpoints.mcp} (legacy SSE clients to ${endpoints.legacySse})` +
              (endpoints.admin ? `; admin at ${endpoints.admin}` : "")
          : "ready on stdio",
      );
      return { services, done };
    },
    options,
  );
}
