import { Agent } from "node:http";
import { openModernClient } from "../clients/modern.js";
import { type ResidentMemory, residentMemory } from "../load/process-memory.js";
import { sleep } from "../phases/progress.js";
import { startLauncher } from "../servers/launcher.js";
import { BENCH_NOTE, CALL_TIMEOUT_MS, IDLE_SETTLE_MS } from "./constants.js";

/**
 * The resident set of the launcher (MCP over HTTP and the admin service) left idle after one note
 * saved over /mcp, by a 2026-07-28 client on this machine: with MCP_AUTH at its default (`local`)
 * a loopback caller without proxy headers needs no key. `env` says which database it uses.
 */
export async function idleLauncherMemory(env: Record<string, string>): Promise<ResidentMemory> {
  const launcher = await startLauncher(env);
  const agent = new Agent({ keepAlive: false });
  try {
    const client = await openModernClient(launcher.mcp, {
      agent,
      timeoutMs: CALL_TIMEOUT_MS,
      discover: false,
    });
    await client.callTool("note_save", BENCH_NOTE);
    await sleep(IDLE_SETTLE_MS);
    return await residentMemory(launcher.pid);
  } finally {
    agent.destroy();
    await launcher.stop();
  }
}
