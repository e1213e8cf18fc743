import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const main = fileURLToPath(new URL("./main.ts", import.meta.url));

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", main], {
    env: { PATH: process.env.PATH ?? "", DATA_DIR: "memory://", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

async function waitForLog(read: () => string, pattern: RegExp, child: ChildProcess, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(read())) {
    if (child.exitCode !== null) throw new Error(`exited early: ${read()}`);
    if (Date.now() > deadline) throw new Error(`no ${pattern} in: ${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("main", () => {
  it("prints the config error naming the bad key and exits 1", async () => {
    const { exited, stderr } = run({ MCP_PORT: "not-a-port" });
    expect(await exited).toBe(1);
    expect(stderr()).toMatch(/Invalid configuration:\n\s+MCP_PORT:/);
    expect(stderr()).not.toMatch(/\bat .*\.ts:\d+/); // the message, not a stack trace
  });

  it("serves until SIGTERM, then drains, stops and exits 0", async () => {
    const { child, exited, stderr } = run({ MCP_PORT: "0", HOST: "127.0.0.1" });
    await waitForLog(stderr, /MCP HTTP server listening/, child);
    const url = /"url":"([^"]+)"/.exec(stderr())?.[1];
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const sse = await fetch(`${url}/sse`); // an open stream must not hold the exit up
    expect(sse.status).toBe(200);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stderr()).toContain("MCP HTTP server stopped");
  });
});
