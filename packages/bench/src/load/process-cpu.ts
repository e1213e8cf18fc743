import { readFile } from "node:fs/promises";

// USER_HZ: the unit of /proc/<pid>/stat times. 100 on every Linux this runs on; getconf would need a shell.
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, every thread) a process has used so far, in ms; undefined where there
 * is no /proc. Unlike throughput it barely moves when other work shares the machine.
 */
export function processCpuMs(pid: number): Promise<number | undefined> {
  return statCpuMs(`/proc/${pid}/stat`);
}

/**
 * The same for the process's main thread alone (its thread id is the process's): the rest of a
 * Node process's CPU is its other threads (GC helpers, compilers, a worker such as the embedded
 * database's), which run beside the event loop on a machine's other cores or take them from it.
 */
export function mainThreadCpuMs(pid: number): Promise<number | undefined> {
  return statCpuMs(`/proc/${pid}/task/${pid}/stat`);
}

async function statCpuMs(path: string): Promise<number | undefined> {
  const stat = await readFile(path, "utf8").catch(() => undefined);
  if (!stat) return undefined;
  // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? (ticks * 1_000) / TICKS_PER_SECOND : undefined;
}

/** The CPU time of several processes together, in ms; undefined when any cannot be read. */
export async function totalCpuMs(pids: readonly number[]): Promise<number | undefined> {
  let total = 0;
  for (const ms of await Promise.all(pids.map(processCpuMs))) {
    if (ms === undefined) return undefined;
    total += ms;
  }
  return total;
}
