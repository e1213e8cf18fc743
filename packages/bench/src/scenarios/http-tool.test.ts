import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UPSTREAM_PORT_FLAG, upstreamPortOf } from "../servers/http-tool.js";
import { entryPath, type ServerProcess, spawnServer } from "../servers/spawn.js";
import { directUpstream, interleavedHttpTool, sessionEcho, sessionHttpTool } from "./http-tool.js";

// The harness against the real processes: if the tool is not served, or a path fails, no figure means anything.
describe("the HTTP tool scenarios", () => {
  let upstream: ServerProcess;
  let server: ServerProcess;
  const brief = { warmupMs: 0, durationMs: 300 };

  beforeAll(async () => {
    upstream = await spawnServer("upstream", entryPath("./upstream.ts"));
    server = await spawnServer("ours + upstream_echo", entryPath("./ours-http-tool.ts"), {
      args: [`${UPSTREAM_PORT_FLAG}=${upstream.port}`],
    });
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), upstream?.stop()]);
  });

  it.each([
    ["echo", () => sessionEcho(server, 2, brief)],
    ["the HTTP tool, through the upstream", () => sessionHttpTool(server, 2, brief)],
    ["the upstream directly", () => directUpstream(upstream, 2, brief)],
  ])("calls %s without a failure", async (_, run) => {
    const result = await run();
    expect(result.errors).toBe(0);
    expect(result.calls).toBeGreaterThan(0);
  });

  it("times all three in turn with one client", async () => {
    const runs = await interleavedHttpTool(server, upstream, brief);
    for (const run of Object.values(runs)) {
      expect(run.errors).toBe(0);
      expect(run.calls).toBeGreaterThan(0);
    }
    expect(Math.max(runs.echo.calls, runs.tool.calls, runs.direct.calls)).toBeLessThanOrEqual(
      Math.min(runs.echo.calls, runs.tool.calls, runs.direct.calls) + 3,
    );
  });
});

describe("upstreamPortOf", () => {
  it("reads the port the harness passes, and refuses a missing or bad one", () => {
    expect(upstreamPortOf(["node", "entry", `${UPSTREAM_PORT_FLAG}=40123`])).toBe(40_123);
    expect(() => upstreamPortOf(["node", "entry"])).toThrow(/--upstream-port=<port> is required/);
    expect(() => upstreamPortOf([`${UPSTREAM_PORT_FLAG}=70000`])).toThrow(/got "70000"/);
  });
});
