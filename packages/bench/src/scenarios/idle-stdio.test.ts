import { describe, expect, it } from "vitest";
import { targets } from "../targets.js";
import { BENCH_NOTE } from "./constants.js";
import { idleStdioMemory } from "./idle-stdio.js";

const stdio = (name: "bare" | "ours") => {
  const command = targets[name].stdio;
  if (!command) throw new Error(`${name} has no stdio entry`);
  return command;
};

describe.runIf(process.platform === "linux")("idleStdioMemory", () => {
  it("reads the resident set of our server once a note is saved", async () => {
    const memory = await idleStdioMemory(stdio("ours"), (session) =>
      session.callTool("note_save", BENCH_NOTE),
    );
    expect(memory.rss).toBeGreaterThan(20 * 1024 * 1024);
    expect(memory.peakRss).toBeGreaterThanOrEqual(memory.rss);
  });

  it("fails when the call does: a server that never opened its database must not be measured", async () => {
    await expect(
      idleStdioMemory(stdio("bare"), (session) => session.callTool("note_save", BENCH_NOTE)),
    ).rejects.toThrow(/note_save/);
  });
});
