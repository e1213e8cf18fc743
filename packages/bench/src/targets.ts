import type { StdioCommand } from "./clients/stdio.js";
import { entryPath, tsxExecArgv } from "./servers/spawn.js";

/** Our server, and the bare SDK servers it is measured against: SDK v1 and SDK v2. */
export type TargetName = "ours" | "bare" | "bare-v2";

export const targetLabels: Record<TargetName, string> = {
  ours: "mcp-tools",
  bare: "SDK v1",
  "bare-v2": "SDK v2",
};

/** How each server runs over HTTP (servers/ours.ts, bare-sdk.ts, bare-v2.ts); printed above the report. */
export const targetSetups: Record<TargetName, string> = {
  ours: "API-key auth required (Bearer on every request) and per-key + per-tool (echo) rate limits on, set never to trip; audit and metrics on",
  bare: "@modelcontextprotocol/sdk (v1): /mcp with one transport and McpServer per session (it speaks up to 2025-11-25), /sse with its SSEServerTransport; no auth, no rate limits",
  "bare-v2":
    "@modelcontextprotocol/server (v2) createMcpHandler on Hono, /mcp only: a fresh McpServer per request, no session; no auth, no rate limits",
};

export interface Target {
  name: TargetName;
  /** Entry of the HTTP server process (/mcp, and /sse + /messages where it has them). */
  httpEntry: string;
  /**
   * Its stdio server from source (through tsx), for the bench's own tests; the bench measures the
   * bundles (servers/bundles.ts). Absent for a server without one.
   */
  stdio?: StdioCommand;
}

// Our server's stdio entry, as operators run it; the bench reaches it through the workspace layout.
const oursStdioMain = entryPath("../../../../services/mcp-stdio/src/main.ts");

export const targets: Record<TargetName, Target> = {
  ours: {
    name: "ours",
    httpEntry: entryPath("./ours.ts"),
    stdio: {
      command: process.execPath,
      args: [...tsxExecArgv(), oursStdioMain],
      env: { DATA_DIR: "memory://", LOG_LEVEL: "silent" },
    },
  },
  bare: {
    name: "bare",
    httpEntry: entryPath("./bare-sdk.ts"),
    stdio: { command: process.execPath, args: [...tsxExecArgv(), entryPath("./bare-sdk-stdio.ts")] },
  },
  "bare-v2": { name: "bare-v2", httpEntry: entryPath("./bare-v2.ts") },
};

/**
 * The servers in the order they run in `round`: as given, then reversed, so that over two rounds
 * drift on a shared machine (it speeds up or slows down) favours none of them.
 */
export function orderFor<T>(round: number, names: readonly T[]): T[] {
  return round % 2 === 0 ? [...names] : [...names].reverse();
}
