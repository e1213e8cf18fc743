import { Agent } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLegacySession } from "./clients/legacy-sse.js";
import { openStdioSession } from "./clients/stdio.js";
import { openStreamableSession } from "./clients/streamable.js";
import { type ServerProcess, spawnServer } from "./servers/spawn.js";
import { type TargetName, targetLabels, targets } from "./targets.js";

// The harness against both servers: if its clients cannot talk to one, no figure means anything.
describe.each<TargetName>(["bare", "ours"])("the %s server", (name) => {
  let server: ServerProcess;
  const agent = new Agent({ keepAlive: true });
  const options = () => ({ agent, timeoutMs: 10_000, token: server.token });

  beforeAll(async () => {
    server = await spawnServer(targetLabels[name], targets[name].httpEntry);
  });
  afterAll(async () => {
    agent.destroy();
    await server?.stop();
  });

  it("echoes over Streamable HTTP and forgets the session on DELETE", async () => {
    const endpoint = new URL(`http://127.0.0.1:${server.port}/mcp`);
    const session = await openStreamableSession(endpoint, options());
    await session.echo("over /mcp");
    await session.close();
    await expect(session.echo("after DELETE")).rejects.toThrow(/answered 404/);
  });

  it("echoes over legacy HTTP+SSE", async () => {
    const session = await openLegacySession(new URL(`http://127.0.0.1:${server.port}/sse`), options());
    await session.echo("over /sse");
    session.close();
  });

  it.runIf(name === "ours")("refuses /mcp and /sse without a valid API key", async () => {
    const anonymous = { agent, timeoutMs: 10_000 };
    const endpoint = new URL(`http://127.0.0.1:${server.port}/mcp`);
    await expect(openStreamableSession(endpoint, anonymous)).rejects.toThrow(/answered 401/);
    await expect(openStreamableSession(endpoint, { ...anonymous, token: "mcpt_wrong" })).rejects.toThrow(
      /answered 401/,
    );
    const sseUrl = new URL(`http://127.0.0.1:${server.port}/sse`);
    await expect(openLegacySession(sseUrl, anonymous)).rejects.toThrow(/answered 401/);
  });

  it("reports its memory after a GC", async () => {
    const usage = await server.memory();
    expect(usage.heapUsed).toBeGreaterThan(0);
    expect(usage.rss).toBeGreaterThan(usage.heapUsed);
  });

  it("echoes over stdio and exits when its input ends", async () => {
    const session = await openStdioSession(targets[name].stdio, 10_000);
    await session.echo("over stdio");
    await session.close();
  });
});
