import { type Bus, createMemoryBus } from "@mcp-tools/core";
import { ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modernRequest } from "./testing/modern.js";
import { connectSse, connectStreamable, readUntil, startTestServer, type TestServer } from "./testing.js";

// Two replicas on one bus: a note changed through one reaches the subscribers of the other.
let bus: Bus;
let near: TestServer;
let far: TestServer;
let id: string;
let uri: string;
let barrierId: string;
beforeAll(async () => {
  bus = createMemoryBus();
  near = await startTestServer({}, { bus });
  far = await startTestServer({}, { bus });
  const writer = await connectStreamable(far.url);
  const saved = await writer.callTool({ name: "note_save", arguments: { title: "Watched", body: "v1" } });
  const barrier = await writer.callTool({ name: "note_save", arguments: { title: "Barrier" } });
  await writer.close();
  id = (saved.structuredContent as { id: string }).id;
  barrierId = (barrier.structuredContent as { id: string }).id;
  uri = `notes://${id}`;
});
afterAll(async () => {
  await near.close();
  await far.close();
  await bus.close();
});

async function editOnFarReplica(body: string, note = id) {
  const writer = await connectStreamable(far.url);
  await writer.callTool({ name: "note_save", arguments: { id: note, body } });
  await writer.close();
}

describe("a note edited on one replica reaches the clients subscribed to it on another", () => {
  it.each([
    { name: "SDK v1 on /mcp, 2025-11-25 (resources/subscribe)", connect: connectStreamable },
    { name: "SDK v1 on /sse, 2024-11-05 (resources/subscribe)", connect: connectSse },
  ])("$name, until it unsubscribes", async ({ connect }) => {
    const client = await connect(near.url);
    try {
      const updated: string[] = [];
      client.setNotificationHandler(ResourceUpdatedNotificationSchema, ({ params }) => {
        updated.push(params.uri);
      });
      await client.subscribeResource({ uri });
      await editOnFarReplica("v2");
      await expect.poll(() => updated, { timeout: 2_000 }).toEqual([uri]);
      await client.unsubscribeResource({ uri });
      await editOnFarReplica("v3");
      // Updates arrive in order: once the barrier note's has, the one for v3 would have too.
      const barrier = `notes://${barrierId}`;
      await client.subscribeResource({ uri: barrier });
      await editOnFarReplica("moved", barrierId);
      await expect.poll(() => updated, { timeout: 2_000 }).toEqual([uri, barrier]);
    } finally {
      await client.close();
    }
  });

  it("2026-07-28: subscriptions/listen with resourceSubscriptions, acknowledged, then resources/updated", async () => {
    const listen = modernRequest("watch-1", "subscriptions/listen", {
      notifications: { resourceSubscriptions: [uri, 42, "x".repeat(3_000)] },
    });
    const controller = new AbortController();
    const res = await fetch(`${near.url}/mcp`, {
      method: "POST",
      headers: listen.headers,
      body: JSON.stringify(listen.body),
      signal: controller.signal,
    });
    const reader = res.body?.getReader();
    if (!reader) throw new Error("no stream");
    try {
      const acknowledged = await readUntil(reader, (text) => text.includes("acknowledged"));
      // What is honoured is acknowledged: the one well-formed URI.
      expect(JSON.parse(acknowledged.split("data: ")[1] ?? "")).toMatchObject({
        params: { notifications: { resourceSubscriptions: [uri] } },
      });
      await editOnFarReplica("v5");
      const text = await readUntil(reader, (got) => got.includes("resources/updated"));
      const updated = JSON.parse(text.split("data: ").at(-1) ?? "");
      expect(updated).toEqual({
        jsonrpc: "2.0",
        method: "notifications/resources/updated",
        params: { _meta: { "io.modelcontextprotocol/subscriptionId": "watch-1" }, uri },
      });
    } finally {
      controller.abort();
    }
  });
});
