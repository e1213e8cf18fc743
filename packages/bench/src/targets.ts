import type { StdioCommand } from "./clients/stdio.js";
import { entryPath, tsxExecArgv } from "./servers/spawn.js";

export type TargetName = "ours" | "bare";

export const targetLabels: Record<TargetName, string> = { ours: "mcp-tools", bare: "bare SDK" };

/** How each server runs over HTTP (servers/ours.ts, servers/bare-sdk.ts); printed above the report. */
export const targetSetups: Record<TargetName, string> = {
  ours: "API-key auth required (Bearer on every request) and per-key + per-tool (echo) rate limits on, set never to trip; audit and metrics on",
  bare: "no auth, no rate limits",
};

export interface Target {
  name: TargetName;
  /** Entry of the HTTP server process (/mcp, /sse, /messages). */
  httpEntry: string;
  stdio: StdioCommand;
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
};

/** Alternates which server goes first, so drift on a shared machine does not favour one side. */
export function orderFor(round: number): TargetName[] {
  return round % 2 === 0 ? ["bare", "ours"] : ["ours", "bare"];
}
