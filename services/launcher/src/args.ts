import { parseArgs } from "node:util";

export type Transport = "stdio" | "sse" | "both";

export interface LauncherArgs {
  transport: Transport;
  admin: boolean;
}

export const usage = `Usage: launcher [--transport stdio|sse|both] [--admin]

  --transport stdio   MCP over stdin/stdout, for clients that spawn the server
  --transport sse     MCP over HTTP on MCP_PORT (Streamable HTTP at /mcp, legacy SSE at /sse) (default)
  --transport both    both of the above in one process
  --admin             also serve the admin UI and API on ADMIN_PORT
  --help              show this message`;

const transports: readonly string[] = ["stdio", "sse", "both"];

/** Parses the launcher's flags; throws an Error whose message is fit for the user. */
export function parseLauncherArgs(argv: string[]): LauncherArgs | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      transport: { type: "string", short: "t", default: "sse" },
      admin: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return "help";
  if (!transports.includes(values.transport)) {
    throw new Error(`--transport must be one of stdio, sse, both (got "${values.transport}")`);
  }
  return { transport: values.transport as Transport, admin: values.admin };
}
