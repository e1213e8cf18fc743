import { createTestDatabase, freePort, type TestDatabase } from "@mcp-tools/core/testing";
import { type Client, SUBSCRIPTION_ID_META_KEY } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAdmin } from "./testing/admin.js";
import { auditRows } from "./testing/clients.js";
import { createTestKey } from "./testing/keys.js";
import { callModern, connectModernClient } from "./testing/modern.js";
import { type RunningNginx, startNginx } from "./testing/nginx.js";
import { killAll, waitFor } from "./testing/processes.js";
import { requireRuntime } from "./testing/requirements.js";
import {
  metric,
  type RunningService,
  sharedEnv,
  startAdminBundle,
  startMcpBundle,
} from "./testing/services.js";

// MCP 2026-07-28 is stateless: whichever replica nginx picks answers the request itself. Nothing is
// relayed, and a tool settings change made in another process reaches a listen stream over Redis.
const runtime = requireRuntime({ binaries: ["nginx"], services: ["DATABASE_URL", "REDIS_URL"] });
const ADMIN_PASSWORD = "modern round robin admin password";
const CLIENTS = 50;
const CALLS = 50;

let database: TestDatabase | undefined;
let nginx: RunningNginx | undefined;
let replicas: RunningService[] = [];
let token = "";

beforeAll(async () => {
  if (!runtime) return;
  database = await createTestDatabase(runtime.databaseUrl);
  const shared = sharedEnv(database.url, runtime.redisUrl);
  const [adminPort = 0, ...mcpPorts] = await Promise.all([freePort(), freePort(), freePort()]);
  // The admin first, so the migrations are applied once before the replicas start.
  const admin = await startAdminBundle(shared, adminPort, { ADMIN_PASSWORD });
  replicas = await Promise.all(
    mcpPorts.map((port) => startMcpBundle(shared, port, { MCP_AUTH: "required" })),
  );
  nginx = await startNginx({ mcpPorts, adminPorts: [admin.port] });
  token = await createTestKey(database.url);
});

afterAll(async () => {
  await nginx?.stop();
  await killAll();
  await database?.drop();
});

/** Each replica's tool calls so far. */
const callsPerReplica = () =>
  Promise.all(replicas.map((replica) => metric(replica.url, "mcp_tool_calls_total")));

/**
 * CALLS calls in a row: mostly `echo`, and every tenth call a `note_save` whose note the next call
 * reads back with `note_get` (most likely from the other replica). Returns what went wrong.
 */
async function callInARow(client: Client, name: string): Promise<string[]> {
  const problems: string[] = [];
  let saved: { id: string; body: string } | undefined;
  for (let i = 0; i < CALLS; i++) {
    const text = `${name} call ${i}`;
    try {
      if (i % 10 === 3) {
        const note = await callModern(client, "note_save", { title: text, body: text });
        saved = { id: String(note.id), body: text };
      } else if (i % 10 === 4 && saved) {
        const note = await callModern(client, "note_get", { id: saved.id });
        if (note.body !== saved.body) problems.push(`${text}: note_get answered "${note.body}"`);
      } else {
        const answer = await callModern(client, "echo", { text });
        if (answer.text !== text) problems.push(`${text}: echo answered "${answer.text}"`);
      }
    } catch (error) {
      problems.push(`${text}: ${String(error)}`);
    }
  }
  return problems;
}

const toolNames = async (client: Client) =>
  // The server marks the list cacheable for a minute; a client that is not listening would keep
  // showing what it was first told. `bypass` asks the server every time.
  (await client.listTools(undefined, { cacheMode: "bypass" })).tools.map((tool) => tool.name);

describe.skipIf(!runtime)("MCP 2026-07-28 behind nginx round-robin over two replicas", () => {
  it("answers 50 SDK v2 clients' 2,500 calls on both replicas, none relayed, no sessions", async () => {
    const mcpUrl = nginx?.mcpUrl ?? "";
    const before = await callsPerReplica();
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) => connectModernClient(mcpUrl, `modern-${i}`, token)),
    );
    const started = Date.now();
    try {
      const problems = (
        await Promise.all(clients.map((client, i) => callInARow(client, `modern-${i}`)))
      ).flat();
      console.info(`${CLIENTS * CALLS} modern calls through nginx in ${Date.now() - started} ms`);
      expect(problems.slice(0, 5)).toEqual([]);
      expect(problems).toHaveLength(0);
    } finally {
      await Promise.allSettled(clients.map((client) => client.close()));
    }

    // Each replica ran the calls it was sent, and only those: together, every call exactly once.
    const after = await callsPerReplica();
    const ran = after.map((count, i) => count - (before[i] ?? 0));
    console.info(`tool calls per replica: ${ran.join(", ")}`);
    expect(ran.reduce((sum, count) => sum + count, 0)).toBe(CLIENTS * CALLS);
    for (const count of ran) expect(count).toBeGreaterThan((CLIENTS * CALLS) / 4);

    for (const replica of replicas) {
      const text = await (await fetch(`${replica.url}/metrics`)).text();
      // The counter exists (a renamed metric would read as zero), and counted nothing.
      expect(text).toContain("# TYPE mcp_relayed_requests_total counter");
      expect(await metric(replica.url, "mcp_relayed_requests_total")).toBe(0);
      expect(await metric(replica.url, "mcp_sessions_active")).toBe(0);
    }
    // No session was opened, so no event stream (GET) and no session ended (DELETE).
    const mcpRequests = nginx?.accessLog().filter((line) => line.path === "/mcp") ?? [];
    expect(mcpRequests.filter((line) => line.method !== "POST")).toEqual([]);

    // Every call audited once, outside any session.
    let rows: Awaited<ReturnType<typeof auditRows>> = [];
    await waitFor(
      async () => {
        rows = await auditRows(database?.url ?? "");
        return rows.length >= CLIENTS * CALLS;
      },
      "every call audited",
      10_000,
    );
    expect(rows).toHaveLength(CLIENTS * CALLS);
    expect(rows.filter((row) => row.sessionId !== null)).toEqual([]);
  }, 120_000);

  it("tells a listener on one replica within a second that a tool was disabled in the admin, and no replica lists it", async () => {
    const [holder] = replicas;
    if (!holder || !nginx) throw new Error("the replicas did not start");
    // Straight to one replica, past nginx: the stream is held there, and the change is made elsewhere.
    const listener = await connectModernClient(holder.url, "listener", token);
    const heard: Array<{ at: number; subscriptionId: unknown }> = [];
    listener.setNotificationHandler("notifications/tools/list_changed", (notification) => {
      heard.push({ at: Date.now(), subscriptionId: notification.params?._meta?.[SUBSCRIPTION_ID_META_KEY] });
    });
    const subscription = await listener.listen({ toolsListChanged: true });
    const viewer = await connectModernClient(nginx.mcpUrl, "viewer", token);
    const admin = await signInAdmin(nginx.adminUrl, "admin", ADMIN_PASSWORD);
    let restored = false;
    try {
      expect(subscription.honoredFilter).toEqual({ toolsListChanged: true });
      expect(await toolNames(viewer)).toContain("note_delete");
      expect(heard).toEqual([]);

      const sentAt = Date.now();
      const disabled = await admin.request("PATCH", "/api/tools/note_delete", { enabled: false });
      // The admin answers once the change is committed (and published).
      const committedAt = Date.now();
      expect(disabled.status).toBe(200);
      await waitFor(() => heard.length > 0, "list_changed on the listen stream", 5_000).catch(
        () => undefined,
      );
      const [first] = heard;
      if (!first) throw new Error("no notifications/tools/list_changed within 5 s of the change");
      console.info(
        `list_changed ${first.at - committedAt} ms after the admin answered (${first.at - sentAt} ms after the PATCH was sent)`,
      );
      expect(first.at - committedAt).toBeLessThan(1_000);
      expect(typeof first.subscriptionId).toBe("string");

      // Through nginx, one list from each replica (the rotation is shared and nothing else is calling).
      const mark = nginx.accessLog().length;
      const lists = [await toolNames(viewer), await toolNames(viewer)];
      // nginx logs a request just after answering it.
      let listedBy: string[] = [];
      await waitFor(() => {
        const lines = nginx?.accessLog().slice(mark) ?? [];
        listedBy = lines.filter((line) => line.path === "/mcp").map((line) => line.upstream);
        return listedBy.length === 2;
      }, "both lists in nginx's access log");
      expect(new Set(listedBy)).toEqual(new Set(replicas.map((replica) => `127.0.0.1:${replica.port}`)));
      for (const names of lists) {
        expect(names).not.toContain("note_delete");
        expect(names).toContain("echo");
      }

      // Enabled again: the listener hears that too, on the same subscription, and the tool is back.
      const enabled = await admin.request("PATCH", "/api/tools/note_delete", { enabled: true });
      restored = enabled.status === 200;
      expect(enabled.status).toBe(200);
      await waitFor(() => heard.length > 1, "a second list_changed", 5_000);
      expect(heard.map((notice) => notice.subscriptionId)).toEqual([
        first.subscriptionId,
        first.subscriptionId,
      ]);
      expect(await toolNames(viewer)).toContain("note_delete");
    } finally {
      if (!restored) await admin.request("PATCH", "/api/tools/note_delete", { enabled: true });
      await subscription.close();
      await Promise.allSettled([listener.close(), viewer.close()]);
    }
  });
});
