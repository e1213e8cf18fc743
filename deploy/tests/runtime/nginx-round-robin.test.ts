import { createTestDatabase, freePort, type TestDatabase } from "@mcp-tools/core/testing";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAdmin } from "./testing/admin.js";
import { connectClient, echo, type TransportKind } from "./testing/clients.js";
import { createTestKey } from "./testing/keys.js";
import { type RunningNginx, startNginx } from "./testing/nginx.js";
import { killAll, waitFor } from "./testing/processes.js";
import { requireRuntime } from "./testing/requirements.js";
import { type RunningService, sharedEnv, startAdminBundle, startMcpBundle } from "./testing/services.js";

const runtime = requireRuntime({ binaries: ["nginx"], services: ["DATABASE_URL", "REDIS_URL"] });
const ADMIN_PASSWORD = "round robin admin password";

interface Connected {
  name: string;
  kind: TransportKind;
  client: Client;
  /** When this client was told its tool list changed (ms since epoch). */
  listChangedAt?: number;
}

let database: TestDatabase | undefined;
let nginx: RunningNginx | undefined;
let replicas: RunningService[] = [];
const clients: Connected[] = [];

beforeAll(async () => {
  if (!runtime) return;
  database = await createTestDatabase(runtime.databaseUrl);
  const shared = sharedEnv(database.url, runtime.redisUrl);
  const ports = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const [adminPort = 0, ...mcpPorts] = ports;
  // One first, so the migrations are applied once before the others start.
  const admin = await startAdminBundle(shared, adminPort, { ADMIN_PASSWORD });
  replicas = await Promise.all(
    mcpPorts.map((port) => startMcpBundle(shared, port, { MCP_AUTH: "required" })),
  );
  nginx = await startNginx({ mcpPorts, adminPorts: [admin.port] });
  const token = await createTestKey(database.url);
  const connecting = Array.from({ length: 40 }, async (_, i) => {
    const kind: TransportKind = i < 20 ? "sse" : "mcp";
    const name = `${kind}-client-${i}`;
    const { client } = await connectClient(nginx?.mcpUrl ?? "", kind, name, { token });
    const connected: Connected = { name, kind, client };
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      connected.listChangedAt ??= Date.now();
    });
    clients.push(connected);
  });
  await Promise.all(connecting);
});

afterAll(async () => {
  await Promise.allSettled(clients.map(({ client }) => client.close()));
  await nginx?.stop();
  await killAll();
  await database?.drop();
});

describe.skipIf(!runtime)("nginx round-robin in front of three MCP processes and the admin", () => {
  it("answers 2,000 concurrent echo calls from 40 clients, each with the caller's own text", async () => {
    const started = Date.now();
    // Each client keeps 25 calls open at once: each is a stream, and a session may hold
    // MAX_STREAMS_PER_SESSION (32 by default), its GET stream among them.
    const outcomes = await Promise.all(
      clients.flatMap(({ name, client }) =>
        Array.from({ length: 25 }, async (_, lane) => {
          const answers: Array<{ text: string; answer: string } | { text: string; error: string }> = [];
          for (const i of [lane, lane + 25]) {
            const text = `${name} call ${i}`;
            try {
              answers.push({ text, answer: await echo(client, text) });
            } catch (error) {
              answers.push({ text, error: String(error) });
            }
          }
          return answers;
        }),
      ),
    ).then((lanes) => lanes.flat());
    console.info(`2000 echo calls through nginx in ${Date.now() - started} ms`);
    expect(outcomes).toHaveLength(2_000);
    const errors = outcomes.filter((outcome) => "error" in outcome);
    expect(errors.slice(0, 5)).toEqual([]);
    expect(errors).toHaveLength(0);
    expect(outcomes.filter((outcome) => "answer" in outcome && outcome.answer !== outcome.text)).toEqual([]);

    // Round-robin, not sticky: every replica took a fair share of the sessions' requests.
    const perReplica = replicas.map(
      (replica) =>
        nginx
          ?.accessLog()
          .filter((line) => line.upstream.endsWith(`:${replica.port}`) && line.method === "POST").length ?? 0,
    );
    console.info(`POSTs per replica: ${perReplica.join(", ")}`);
    for (const count of perReplica) expect(count).toBeGreaterThan(2_000 / 3 / 2);
  });

  it("takes a tool disabled in the admin out of every client's list within a second", async () => {
    // A client is told of changes to the list it has seen: each lists first, as clients do.
    const before = await Promise.all(
      clients.map(async ({ client }) => (await client.listTools()).tools.map((tool) => tool.name)),
    );
    expect(before.every((names) => names.includes("note_delete"))).toBe(true);
    const admin = await signInAdmin(nginx?.adminUrl ?? "", "admin", ADMIN_PASSWORD);
    const disabledAt = Date.now();
    const patched = await admin.request("PATCH", "/api/tools/note_delete", { enabled: false });
    expect(patched.status).toBe(200);
    await waitFor(
      () => clients.every((client) => client.listChangedAt !== undefined),
      "list_changed at every client",
      5_000,
    ).catch(() => undefined);
    const late = clients.filter((client) => client.listChangedAt === undefined).map((client) => client.name);
    expect(late).toEqual([]);
    const slowest = Math.max(
      ...clients.map((client) => (client.listChangedAt ?? Number.POSITIVE_INFINITY) - disabledAt),
    );
    console.info(`list_changed reached all 40 clients within ${slowest} ms of the PATCH`);
    expect(slowest).toBeLessThan(1_000);
    const lists = await Promise.all(
      clients.map(async ({ client }) => (await client.listTools()).tools.map((tool) => tool.name)),
    );
    expect(lists.filter((names) => names.includes("note_delete"))).toHaveLength(0);
    expect(lists.every((names) => names.includes("echo"))).toBe(true);
  });
});
