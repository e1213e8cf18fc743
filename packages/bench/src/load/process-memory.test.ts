import { describe, expect, it } from "vitest";
import { parseProcStatus, residentMemory } from "./process-memory.js";

const status = [
  "Name:\tnode",
  "VmPeak:\t 1234567 kB",
  "VmHWM:\t  927340 kB",
  "VmRSS:\t  876484 kB",
  "Threads:\t11",
];

describe("parseProcStatus", () => {
  it("reads the resident set and its peak in bytes, not VmPeak (address space)", () => {
    expect(parseProcStatus(status.join("\n"))).toEqual({ rss: 876_484 * 1024, peakRss: 927_340 * 1024 });
  });

  it("gives nothing for a process whose memory the kernel no longer shows (a zombie)", () => {
    expect(parseProcStatus("Name:\tnode\nState:\tZ (zombie)\n")).toBeUndefined();
  });
});

describe("residentMemory", () => {
  it.runIf(process.platform === "linux")("reads this process's resident set from /proc", async () => {
    const memory = await residentMemory(process.pid);
    expect(memory.rss).toBeGreaterThan(process.memoryUsage().heapUsed);
    expect(memory.peakRss).toBeGreaterThanOrEqual(memory.rss);
  });
});
