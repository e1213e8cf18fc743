import { openStdioSession, type StdioCommand, type StdioSession } from "../clients/stdio.js";
import { type ResidentMemory, residentMemory } from "../load/process-memory.js";
import { sleep } from "../phases/progress.js";
import { CALL_TIMEOUT_MS, IDLE_SETTLE_MS } from "./constants.js";

/**
 * The resident set of a stdio server left idle after one call has been answered (for ours a note
 * saved, so that its embedded database is open), as a desktop client leaves it between uses.
 */
export async function idleStdioMemory(
  command: StdioCommand,
  call: (session: StdioSession) => Promise<void>,
): Promise<ResidentMemory> {
  const session = await openStdioSession(command, CALL_TIMEOUT_MS);
  try {
    await call(session);
    await sleep(IDLE_SETTLE_MS);
    return await residentMemory(session.pid);
  } finally {
    await session.close();
  }
}
