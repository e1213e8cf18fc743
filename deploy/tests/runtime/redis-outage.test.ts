import {
  canStartThrowaway,
  createTestDatabase,
  freePort,
  startThrowawayRedis,
  type TestDatabase,
  type ThrowawayServer,
} from "@mcp-tools/core/testing";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectClient, echo, httpStatus, type TransportKind } from "./testing/clients.js";
import { createTestKey } from "./testing/keys.js";
import { alive, killAll, waitFor } from "./testing/processes.js";
import { requireRuntime } from "./testing/requirements.js";
import { type RunningService, sharedEnv, startMcpBundle } from "./testing/services.js";

const runtime = requireRuntime({ services: ["DATABASE_URL"] });
const canRun = runtime !== undefined && canStartThrowaway("redis");
const OUTAGE_MS = 10_000;

interface Pair {
  name: string;
  client: Client;
}

let database: TestDatabase | undefined;
let redis: ThrowawayServer | undefined;
let a: RunningService | undefined;
let b: RunningService | undefined;
/** Sessions on A whose every request goes to A. */
const local: Pair[] = [];
/** Sessions opened on A whose later requests all go to B, which must hand them to A. */
const crossing: Pair[] = [];

/** A fetch that sends every request after the first (the initialize) to `to` instead of `from`. */
function crossAfterInitialize(from: RunningService, to: RunningService): typeof fetch {
  let first = true;
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const isStream = (init?.method ?? "GET") === "GET";
    // The first request, and the legacy transport's event stream, stay with the session's owner.
    if (!first && !(isStream && url.pathname === "/sse")) url.port = String(to.port);
    if (url.port === String(from.port) && init?.method === "POST") first = false;
    return fetch(url, init);
  };
}

beforeAll(async () => {
  if (!canRun || !runtime) return;
  database = await createTestDatabase(runtime.databaseUrl);
  redis = await startThrowawayRedis();
  const shared = sharedEnv(database.url, redis.url);
  a = await startMcpBundle(shared, await freePort(), { MCP_AUTH: "required" });
  b = await startMcpBundle(shared, await freePort(), { MCP_AUTH: "required" });
  const token = await createTestKey(database.url);
  for (const kind of ["mcp", "sse"] as TransportKind[]) {
    for (let i = 0; i < 3; i++) {
      const name = `${kind}-local-${i}`;
      local.push({ name, client: (await connectClient(a.url, kind, name, { token })).client });
      const crossName = `${kind}-crossing-${i}`;
      const fetchVia = crossAfterInitialize(a, b);
      crossing.push({
        name: crossName,
        client: (await connectClient(a.url, kind, crossName, { fetch: fetchVia, token })).client,
      });
    }
  }
});

afterAll(async () => {
  await Promise.allSettled([...local, ...crossing].map(({ client }) => client.close()));
  await killAll();
  await redis?.destroy();
  await database?.drop();
});

async function timedEcho({ name, client }: Pair, text: string) {
  const started = Date.now();
  try {
    return {
      name,
      ok: (await echo(client, `${name} ${text}`)) === `${name} ${text}`,
      ms: Date.now() - started,
    };
  } catch (error) {
    return { name, ok: false, ms: Date.now() - started, error: String(error), status: httpStatus(error) };
  }
}

describe.skipIf(!canRun)("a Redis outage under two replicas", () => {
  it("keeps in-process calls working, fails crossing calls fast and clearly, and recovers without a restart", async () => {
    // Before: both kinds of call work.
    const before = await Promise.all([...local, ...crossing].map((pair) => timedEcho(pair, "before")));
    expect(before.filter((outcome) => !outcome.ok)).toEqual([]);

    await redis?.stop();
    const outageStarted = Date.now();
    const duringLocal: Array<Awaited<ReturnType<typeof timedEcho>>> = [];
    const duringCrossing: Array<Awaited<ReturnType<typeof timedEcho>>> = [];
    // Load on the in-process sessions throughout the outage.
    const load = (async () => {
      for (let round = 0; Date.now() - outageStarted < OUTAGE_MS - 500; round++) {
        duringLocal.push(...(await Promise.all(local.map((pair) => timedEcho(pair, `during ${round}`)))));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    duringCrossing.push(...(await Promise.all(crossing.map((pair) => timedEcho(pair, "during")))));
    await load;
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - outageStarted))),
    );
    await redis?.start();
    const restartedAt = Date.now();

    console.info(
      `during the outage: ${duringLocal.length} in-process calls, ${duringLocal.filter((o) => !o.ok).length} failed; crossing calls took ${duringCrossing.map((o) => o.ms).join(", ")} ms`,
    );
    expect(duringLocal.length).toBeGreaterThan(20);
    expect(duringLocal.filter((outcome) => !outcome.ok)).toEqual([]);
    for (const outcome of duringCrossing) {
      expect(outcome.ok).toBe(false);
      expect(outcome.ms).toBeLessThan(2_000);
      expect(outcome.status).toBe(503);
      expect(outcome.error).toMatch(/redis|message bus/i);
    }

    // After: the same sessions work again, crossing ones too, with neither process restarted.
    await waitFor(
      async () =>
        (await Promise.all(crossing.map((pair) => timedEcho(pair, "probe")))).every((outcome) => outcome.ok),
      "crossing calls working again",
      20_000,
    );
    console.info(`crossing calls worked again ${Date.now() - restartedAt} ms after Redis came back`);
    const after = await Promise.all([...local, ...crossing].map((pair) => timedEcho(pair, "after")));
    expect(after.filter((outcome) => !outcome.ok)).toEqual([]);
    for (const replica of [a, b]) expect(alive(replica?.child.pid ?? 0)).toBe(true);
  });
});
