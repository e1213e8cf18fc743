import { describe, expect, it } from "vitest";
import { targets } from "../targets.js";
import { spawnToAnswer } from "./spawn-to-answer.js";

const stdio = (name: "bare" | "ours") => {
  const command = targets[name].stdio;
  if (!command) throw new Error(`${name} has no stdio entry`);
  return command;
};

describe("spawnToAnswer", () => {
  it("times a freshly spawned server's answer to initialize, and lets it exit", async () => {
    const ms = await spawnToAnswer(stdio("bare"), "initialize");
    expect(ms).toBeGreaterThan(0);
    expect(ms).toBeLessThan(30_000);
  });

  it("times our server's answer to a 2026-07-28 server/discover", async () => {
    expect(await spawnToAnswer(stdio("ours"), "server/discover")).toBeGreaterThan(0);
  });

  it("does not count an error as an answer: SDK v1 knows no server/discover", async () => {
    await expect(spawnToAnswer(stdio("bare"), "server/discover")).rejects.toThrow(/Request 0 failed/);
  });

  it("says what a server that dies before answering wrote to stderr", async () => {
    const dying = {
      command: process.execPath,
      args: ["-e", "console.error('no database here'); process.exit(3)"],
    };
    await expect(spawnToAnswer(dying, "initialize")).rejects.toThrow(/exited \(3\).*\n.*no database here/);
  });
});
