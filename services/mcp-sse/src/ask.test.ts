import { builtinTools } from "@mcp-tools/core";
import { createAskTool } from "@mcp-tools/core/testing";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODERN, modernRequest, postModern } from "./testing/modern.js";
import { connectStreamable, startTestServer, type TestServer } from "./testing.js";

// Two replicas that share RELAY_SECRET, as a deployment's do: a state one signs, the other accepts.
const secret = "a-shared-secret-of-at-least-32-characters";
const ask = createAskTool();
let one: TestServer;
let two: TestServer;
beforeAll(async () => {
  const tools = { tools: [...builtinTools, ask.tool] };
  one = await startTestServer({ RELAY_SECRET: secret }, tools);
  two = await startTestServer({ RELAY_SECRET: secret }, tools);
});
afterAll(async () => {
  await one.close();
  await two.close();
});

const answers = { confirm: { sure: true }, reason: { reason: "it is old" } };

/** A fetch that sends each request to the other replica than the one before. */
function roundRobin() {
  const urls = [one.url, two.url];
  const reached: string[] = [];
  let next = 0;
  const fetchEither = (input: string | URL | Request, init?: RequestInit) => {
    const url = urls[next % urls.length] ?? one.url;
    next += 1;
    reached.push(url);
    return fetch(new URL(new URL(String(input)).pathname, url), init);
  };
  return { fetch: fetchEither, reached };
}

describe("a tool asks its client, and the answers reach it", () => {
  it("2026-07-28 (SDK v2): input_required rounds, each retry landing on the other replica", async () => {
    const balancer = roundRobin();
    const client = new Client(
      { name: "ask", version: "1" },
      { versionNegotiation: { mode: { pin: MODERN } }, capabilities: { elicitation: { form: {} } } },
    );
    const asked: string[] = [];
    client.setRequestHandler("elicitation/create", async (request) => {
      const message = request.params.message;
      asked.push(message);
      return { action: "accept", content: message === "Why?" ? answers.reason : answers.confirm };
    });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${one.url}/mcp`), { fetch: balancer.fetch }),
    );
    try {
      const runsBefore = ask.runs();
      const result = await client.callTool({
        name: "confirm",
        arguments: { action: "Delete the old notes" },
      });
      expect(result.structuredContent).toEqual({
        action: "Delete the old notes",
        confirmed: true,
        reason: "it is old",
      });
      expect(asked).toEqual(["Delete the old notes?", "Why?"]);
      // Three rounds (ask, ask, answer), each a run of the tool from the start, on both replicas.
      expect(ask.runs() - runsBefore).toBe(3);
      expect(new Set(balancer.reached)).toEqual(new Set([one.url, two.url]));
    } finally {
      await client.close();
    }
  });

  it("2026-07-28: refuses a requestState that was changed, belongs to another call, or comes with bad answers", async () => {
    const capabilities = { "io.modelcontextprotocol/clientCapabilities": { elicitation: {} } };
    const call = (params: Record<string, unknown>) =>
      modernRequest(
        1,
        "tools/call",
        { name: "confirm", arguments: { action: "A" }, ...params },
        MODERN,
        capabilities,
      );
    const first = (await (await postModern(one.url, call({}))).json()) as {
      result: { resultType: string; inputRequests: Record<string, unknown>; requestState: string };
    };
    expect(first.result.resultType).toBe("input_required");
    expect(Object.keys(first.result.inputRequests)).toEqual(["confirm"]);
    const state = first.result.requestState;
    const accepted = { confirm: { action: "accept", content: { sure: false } } };

    // The state as sent, on the other replica: accepted.
    const retried = await (
      await postModern(two.url, call({ requestState: state, inputResponses: accepted }))
    ).json();
    expect(retried).toMatchObject({
      result: { resultType: "complete", structuredContent: { confirmed: false } },
    });

    const [payload = "", mac = ""] = state.split(".");
    const decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    const forged = `${Buffer.from(JSON.stringify({ ...decoded, p: "key:someone-else" })).toString("base64url")}.${mac}`;
    const refusals = [
      call({ requestState: forged, inputResponses: accepted }),
      call({ requestState: `${payload}.${mac.slice(0, -2)}AA`, inputResponses: accepted }),
      modernRequest(
        1,
        "tools/call",
        { name: "confirm", arguments: { action: "B" }, requestState: state },
        MODERN,
        capabilities,
      ),
      call({ requestState: state, inputResponses: { confirm: { action: "maybe" } } }),
    ];
    for (const request of refusals) {
      const response = (await (await postModern(two.url, request)).json()) as {
        error?: { code: number; message: string };
      };
      expect(response.error).toMatchObject({
        code: -32602,
        message: expect.stringMatching(/requestState|inputResponses/),
      });
    }
  });

  it("2025-11-25 (SDK v1): an elicitation request in the session, answered by the client", async () => {
    const client = await connectStreamable(one.url, "ask", undefined, { elicitation: {} });
    client.setRequestHandler(ElicitRequestSchema, async (request) => ({
      action: "accept",
      content: request.params.message === "Why?" ? answers.reason : answers.confirm,
    }));
    try {
      const result = await client.callTool({ name: "confirm", arguments: { action: "Archive" } });
      expect(result.structuredContent).toEqual({ action: "Archive", confirmed: true, reason: "it is old" });
    } finally {
      await client.close();
    }
  });

  it("2026-07-28: refuses a call that needs a capability the client did not declare, 400 and -32021", async () => {
    const response = await postModern(
      one.url,
      modernRequest(1, "tools/call", { name: "confirm", arguments: { action: "A" } }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: -32021, data: { requiredCapabilities: { elicitation: {} } } },
    });
  });

  it("2025: tells the tool, as a recoverable error, that a client without the capability cannot be asked", async () => {
    const client = await connectStreamable(one.url);
    try {
      const result = await client.callTool({ name: "confirm", arguments: { action: "Archive" } });
      expect(result).toMatchObject({
        isError: true,
        content: [{ text: "This client does not accept elicitation/create requests" }],
      });
    } finally {
      await client.close();
    }
  });
});
