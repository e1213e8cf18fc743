import { Agent } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLegacySession } from "./clients/legacy-sse.js";
import { openModernClient } from "./clients/modern.js";
import { openStdioSession } from "./clients/stdio.js";
import { openStreamableSession } from "./clients/streamable.js";
import { type ServerProcess, spawnServer } from "./servers/spawn.js";
import { type TargetName, targetLabels, targets } from "./targets.js";

/** The eras each server is driven with (phases/throughput.ts): SDK v1 only with 2025-era clients, SDK v2 only with 2026-07-28 ones. */
const speaks2025 = (name: TargetName) => name !== "bare-v2";
const speaks2026 = (name: TargetName) => name !== "bare";

// The harness against every server: if its clients cannot talk to one, no figure means anything.
describe.each<TargetName>(["bare", "ours", "bare-v2"])("the %s server", (name) => {
  let server: ServerProcess;
  const agent = new Agent({ keepAlive: true });
  const options = () => ({ agent, timeoutMs: 10_000, token: server.token });
  const url = (path: string) => new URL(`http://127.0.0.1:${server.port}${path}`);

  beforeAll(async () => {
    server = await spawnServer(targetLabels[name], targets[name].httpEntry);
  });
  afterAll(async () => {
    agent.destroy();
    await server?.stop();
  });

  it.runIf(speaks2025(name))("echoes over Streamable HTTP and forgets the session on DELETE", async () => {
    const session = await openStreamableSession(url("/mcp"), options());
    await session.echo("over /mcp");
    await session.close();
    await expect(session.echo("after DELETE")).rejects.toThrow(/answered 404/);
  });

  it.runIf(speaks2025(name))("echoes over legacy HTTP+SSE", async () => {
    const session = await openLegacySession(url("/sse"), options());
    await session.echo("over /sse");
    session.close();
  });

  it.runIf(speaks2026(name))(
    "echoes to a 2026-07-28 client after server/discover, with no session",
    async () => {
      const client = await openModernClient(url("/mcp"), options());
      await client.echo("over /mcp, 2026-07-28");
      await client.echo("and again, on no session");
    },
  );

  it.runIf(name === "bare")(
    "fails a 2026-07-28 client at server/discover: SDK v1 speaks 2025 at most",
    async () => {
      await expect(openModernClient(url("/mcp"), options())).rejects.toThrow(/server\/discover answered 400/);
    },
  );

  it.runIf(name === "ours")("refuses /mcp and /sse without a valid API key", async () => {
    const anonymous = { agent, timeoutMs: 10_000 };
    await expect(openStreamableSession(url("/mcp"), anonymous)).rejects.toThrow(/answered 401/);
    await expect(openStreamableSession(url("/mcp"), { ...anonymous, token: "mcpt_wrong" })).rejects.toThrow(
      /answered 401/,
    );
    await expect(openLegacySession(url("/sse"), anonymous)).rejects.toThrow(/answered 401/);
    await expect(openModernClient(url("/mcp"), anonymous)).rejects.toThrow(/server\/discover answered 401/);
    const client = await openModernClient(url("/mcp"), {
      ...anonymous,
      token: "mcpt_wrong",
      discover: false,
    });
    await expect(client.echo("with a wrong key")).rejects.toThrow(/tools\/call answered 401/);
  });

  it("reports its memory after a GC", async () => {
    const usage = await server.memory();
    expect(usage.heapUsed).toBeGreaterThan(0);
    expect(usage.rss).toBeGreaterThan(usage.heapUsed);
  });

  it.runIf(targets[name].stdio)("echoes over stdio and exits when its input ends", async () => {
    const command = targets[name].stdio;
    if (!command) throw new Error(`${name} has no stdio entry`);
    const session = await openStdioSession(command, 10_000);
    await session.echo("over stdio");
    await session.close();
  });
});
