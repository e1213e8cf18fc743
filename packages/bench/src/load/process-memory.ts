import { readFile } from "node:fs/promises";

/** A process's resident set as the kernel counts it (every thread: PGlite's worker included). */
export interface ResidentMemory {
  /** VmRSS, in bytes. */
  rss: number;
  /** VmHWM, in bytes: the most it was resident at any time so far. */
  peakRss: number;
}

/** VmRSS and VmHWM from the text of /proc/<pid>/status; undefined when either is missing. */
export function parseProcStatus(status: string): ResidentMemory | undefined {
  const kb = (field: string) => {
    const match = new RegExp(`^${field}:\\s*(\\d+) kB$`, "m").exec(status);
    return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
  };
  const rss = kb("VmRSS");
  const peakRss = kb("VmHWM");
  return rss === undefined || peakRss === undefined ? undefined : { rss, peakRss };
}

/** The resident memory of a running process; throws where there is no /proc (the figure cannot be had). */
export async function residentMemory(pid: number): Promise<ResidentMemory> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const memory = parseProcStatus(status);
  if (!memory) throw new Error(`/proc/${pid}/status has no VmRSS or VmHWM`);
  return memory;
}
