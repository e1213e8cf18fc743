import { openStdioSession, type StdioCommand } from "../clients/stdio.js";
import { type LoadResult, runClosedLoop, type Timing } from "../load/closed-loop.js";
import { mainThreadCpuMs, processCpuMs } from "../load/process-cpu.js";
import { CALL_TIMEOUT_MS, ECHO_TEXT } from "./constants.js";

/**
 * Sequential echo round trips to a freshly spawned stdio server, from its first answered call on:
 * ours opens its database behind the first answers, and a call waits for it (tool settings), for
 * longer than the warm-up on a slow machine; that wait is spawn-new's subject, not this one's.
 */
export async function stdioThroughput(command: StdioCommand, timing: Timing): Promise<LoadResult> {
  const session = await openStdioSession(command, CALL_TIMEOUT_MS);
  try {
    await session.echo(ECHO_TEXT);
    return await runClosedLoop([() => session.echo(ECHO_TEXT)], {
      ...timing,
      serverCpuMs: () => processCpuMs(session.pid),
      serverMainThreadCpuMs: () => mainThreadCpuMs(session.pid),
    });
  } finally {
    await session.close();
  }
}
