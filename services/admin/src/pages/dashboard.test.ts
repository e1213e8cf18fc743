import { type AppContext, publicSessionId } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../app.js";
import { type SignedIn, signIn } from "../test-support.js";

let ctx: AppContext;
let viewer: SignedIn;
beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_PORT: "9091" });
  viewer = await signIn(ctx, "viewer");
});
afterAll(() => ctx.close());

const call = (outcome: "ok" | "error" | "cancelled", at = new Date()) =>
  ctx.audit.record({
    at,
    tool: "echo",
    principal: "anonymous",
    transport: "streamable-http",
    durationMs: 3,
    outcome,
    arguments: {},
  });

describe("the dashboard", () => {
  it("shows an empty state before any process reports or any call is made", async () => {
    const html = await (await createAdminApp(ctx).request("/", { headers: viewer.headers })).text();
    expect(html).toContain("No process is reporting.");
    expect(html).toContain("No tool calls in the last 15 minutes.");
  });

  it("reports health with latency, processes, sessions per transport, call rates and audit queues", async () => {
    const sessions = ["a", "b", "c"].map((id, i) => ({
      id: publicSessionId(id),
      transport: i === 2 ? "sse" : "streamable-http",
      principal: "anonymous",
      startedAt: Date.now(),
      lastActivityAt: Date.now(),
      terminable: true,
    }));
    const leave = await ctx.presence.register({ service: "mcp-sse", sessions: () => sessions });
    for (const outcome of ["ok", "ok", "ok", "error", "cancelled"] as const) call(outcome);
    // Outside the 15-minute window: not counted.
    call("error", new Date(Date.now() - 20 * 60_000));
    expect(await ctx.audit.flush(5_000)).toBe(true);
    try {
      const response = await createAdminApp(ctx).request("/api/dashboard", { headers: viewer.headers });
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        checks: Array<{ name: string; ok: boolean; latencyMs: number }>;
        processes: Array<{ id: string; services: string[]; activeSessions?: unknown }>;
        sessions: Record<string, number>;
        calls: { calls: number; errors: number; errorRate: number; minutes: unknown[] };
        audit: { depth: number; dropped: number };
      };
      expect(body.checks.map((check) => [check.name, check.ok])).toEqual([
        ["database", true],
        ["bus", true],
        ["migrations", true],
      ]);
      expect(body.checks.every((check) => check.latencyMs >= 0)).toBe(true);
      expect(body.processes).toEqual([
        expect.objectContaining({ id: ctx.presence.processId, services: ["mcp-sse"] }),
      ]);
      expect(body.processes[0]?.activeSessions).toBeUndefined();
      expect(body.sessions).toEqual({ "streamable-http": 2, sse: 1 });
      expect(body.calls).toMatchObject({ calls: 5, errors: 1, errorRate: 0.2 });
      expect(body.calls.minutes).toHaveLength(15);
      expect(body.audit).toEqual({ depth: 0, dropped: 0 });

      const html = await (await createAdminApp(ctx).request("/", { headers: viewer.headers })).text();
      expect(html).toContain("Processes online");
      expect(html).toContain(ctx.presence.processId);
      expect(html).toMatch(/<th>streamable-http<\/th>\s*<td>2<\/td>/);
      expect(html).toContain("20.0 %");
      expect(html).toContain("database");
      expect(html).not.toContain("failing");
      // Calls per minute as a chart: a bar group per minute, the one error in red.
      expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-label="Tool calls per minute, [^"]*; 1 errors"/);
      expect(html.match(/<g class="minute">/g)).toHaveLength(15);
      expect(html.match(/<rect class="errors"/g)).toHaveLength(1);
    } finally {
      await leave();
    }
  });
});
