import { createTestDatabase, freePort, type TestDatabase } from "@mcp-tools/core/testing";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditedArgument, auditRows, connectClient, echo, type TransportKind } from "./testing/clients.js";
import { createTestKey } from "./testing/keys.js";
import { type RunningNginx, startNginx } from "./testing/nginx.js";
import { killAll, waitFor } from "./testing/processes.js";
import { requireRuntime } from "./testing/requirements.js";
import { metric, type RunningService, sharedEnv, startSlowLauncher } from "./testing/services.js";

const runtime = requireRuntime({ binaries: ["nginx"], services: ["DATABASE_URL", "REDIS_URL"] });
const SLOW_MS = 3_000;

interface LoadClient {
  name: string;
  kind: TransportKind;
  client: Client;
  /** Set once a call answered that the session is gone: the client stops and must start over. */
  lostAt?: number;
}

let database: TestDatabase | undefined;
let nginx: RunningNginx | undefined;
let replicas: RunningService[] = [];
const clients: LoadClient[] = [];
/** Every tool call that answered, by its `text` or `tag`: each must have exactly one audit row. */
const answered: string[] = [];
const unexpected: string[] = [];
let token = "";

beforeAll(async () => {
  if (!runtime) return;
  database = await createTestDatabase(runtime.databaseUrl);
  const shared = sharedEnv(database.url, runtime.redisUrl);
  const ports = await Promise.all([freePort(), freePort(), freePort()]);
  replicas = await Promise.all(
    ports.map((port) =>
      startSlowLauncher(shared, port, { SHUTDOWN_GRACE_MS: "15000", MCP_AUTH: "required" }),
    ),
  );
  nginx = await startNginx({ mcpPorts: ports, adminPorts: [ports[0] ?? 0] });
  token = await createTestKey(database.url);
  for (let i = 0; i < 18; i++) {
    const kind: TransportKind = i % 2 === 0 ? "mcp" : "sse";
    const name = `${kind}-${i}`;
    clients.push({ name, kind, client: (await connectClient(nginx.mcpUrl, kind, name, { token })).client });
    // A handshake is three requests: with three replicas taking turns, every session would start
    // on the same one. One more request in between spreads them.
    await fetch(`${nginx.mcpUrl}/health`);
  }
});

afterAll(async () => {
  await Promise.allSettled(clients.map(({ client }) => client.close()));
  await nginx?.stop();
  await killAll();
  await database?.drop();
});

const sessionGone = (error: unknown) => /\b404\b|session not found/i.test(String(error));

/** Calls echo over and over until `until()` or until the session is gone. */
async function keepCalling(load: LoadClient, until: () => boolean) {
  for (let i = 0; !until() && load.lostAt === undefined; i++) {
    const text = `${load.name} load ${i}`;
    try {
      if ((await echo(load.client, text)) !== text) unexpected.push(`${text}: wrong answer`);
      answered.push(text);
    } catch (error) {
      if (sessionGone(error)) load.lostAt = Date.now();
      else unexpected.push(`${text}: ${String(error)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(!runtime)("SIGTERM to one of three replicas behind nginx, under load", () => {
  it("finishes the calls in flight on it, moves its clients elsewhere, and audits every call", async () => {
    const held = await Promise.all(replicas.map((replica) => metric(replica.url, "mcp_sessions_active")));
    expect(held.reduce((sum, count) => sum + count, 0)).toBe(clients.length);
    expect(Math.max(...held)).toBeLessThan(clients.length);
    const victim = replicas[held.indexOf(Math.max(...held))] as RunningService;
    let loadDone = false;
    const loops = clients.map((load) => keepCalling(load, () => loadDone));
    const slowCalls = clients.map(async ({ name, client }) => {
      const tag = `${name} slow`;
      const result = await client.callTool({ name: "slow", arguments: { ms: SLOW_MS, tag } }, undefined, {
        timeout: 30_000,
      });
      answered.push(tag);
      return (result.structuredContent as { tag: string }).tag;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const victimSessions = await metric(victim.url, "mcp_sessions_active");
    // Clients of both transports lose their session.
    expect(await metric(victim.url, "mcp_sessions_active", 'transport="sse"')).toBeGreaterThan(0);
    expect(await metric(victim.url, "mcp_sessions_active", 'transport="streamable-http"')).toBeGreaterThan(0);
    const signalledAt = Date.now();
    victim.signal("SIGTERM");

    // In-flight calls finish, on the victim as everywhere else.
    expect(await Promise.all(slowCalls)).toEqual(clients.map(({ name }) => `${name} slow`));
    const { code } = await victim.exited;
    const exitedAfter = Date.now() - signalledAt;
    expect(code).toBe(0);
    const logLinesAtExit = nginx?.accessLog().length ?? 0;

    // Its clients learn their session is gone (404), the others keep going without an error.
    await waitFor(
      () => clients.filter((load) => load.lostAt !== undefined).length >= victimSessions,
      "the victim's clients told",
      10_000,
    ).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    loadDone = true;
    await Promise.all(loops);
    const lost = clients.filter((load) => load.lostAt !== undefined);
    console.info(
      `victim held ${victimSessions} sessions, exited ${exitedAfter} ms after SIGTERM; ${lost.length} clients got 404: ${lost.map((l) => l.name).join(", ")}`,
    );
    if (unexpected.length > 0) {
      // What nginx saw of the failed requests: its error lines and the 5xx answers it logged.
      const errors = nginx?.process.lines().filter((line) => line.includes("[error]")) ?? [];
      const failed = nginx?.accessLog().filter((line) => line.status >= 500) ?? [];
      console.info(`nginx errors:\n${errors.join("\n")}\n5xx answers: ${JSON.stringify(failed)}`);
      console.info(
        `victim (port ${victim.port}) log:\n${victim
          .lines()
          .filter((line) => !line.includes('"level":30') || /shutting down|stopped/.test(line))
          .join("\n")}`,
      );
    }
    expect(unexpected).toEqual([]);
    expect(lost).toHaveLength(victimSessions);

    // Starting over (a new client and transport) works, through the remaining replicas.
    for (const load of lost) {
      await load.client.close().catch(() => undefined);
      load.client = (await connectClient(nginx?.mcpUrl ?? "", load.kind, load.name, { token })).client;
      const text = `${load.name} after reconnecting`;
      expect(await echo(load.client, text)).toBe(text);
      answered.push(text);
    }
    const afterExit = nginx?.accessLog().slice(logLinesAtExit) ?? [];
    expect(afterExit.length).toBeGreaterThan(0);
    expect(afterExit.filter((line) => line.upstream.split(", ").at(-1)?.endsWith(`:${victim.port}`))).toEqual(
      [],
    );
    expect(afterExit.filter((line) => line.status >= 500)).toEqual([]);

    // Every call that answered has its audit row, exactly one.
    const audited = async () =>
      (await auditRows(database?.url ?? "")).flatMap(
        (row) => auditedArgument(row, row.tool === "slow" ? "tag" : "text") ?? [],
      );
    await waitFor(
      async () => (await audited()).length >= answered.length,
      "every audit row written",
      10_000,
    ).catch(() => undefined);
    const rows = await audited();
    console.info(`${answered.length} calls answered, ${rows.length} audit rows`);
    expect(rows.length).toBe(answered.length);
    expect(new Set(rows)).toEqual(new Set(answered));
  });
});
