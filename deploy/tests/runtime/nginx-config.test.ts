import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@mcp-tools/core/testing";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { echoRequest, type FakeUpstream, fakeUpstream, type SeenRequest } from "./testing/fake-upstream.js";
import { type RunningNginx, shippedConfig, startNginx } from "./testing/nginx.js";
import { killAll } from "./testing/processes.js";
import { findBinary, repositoryRoot, requireRuntime } from "./testing/requirements.js";

const runtime = requireRuntime({ binaries: ["nginx"] });

const upstreams: FakeUpstream[] = [];
let nginx: RunningNginx | undefined;

async function upstream(handler: Parameters<typeof fakeUpstream>[0] = echoRequest) {
  const started = await fakeUpstream(handler);
  upstreams.push(started);
  return started;
}

/** The text inside the braces of the first block that starts with `opening` (e.g. "http {"). */
function block(text: string, opening: string): string {
  const start = text.indexOf(opening);
  if (start < 0) throw new Error(`no "${opening}" block`);
  let depth = 0;
  for (let i = start + opening.length - 1; i < text.length; i++) {
    if (text[i] === "{") depth++;
    if (text[i] === "}" && --depth === 0) return text.slice(start + opening.length, i);
  }
  throw new Error(`"${opening}" block is not closed`);
}

afterEach(async () => {
  await nginx?.stop();
  nginx = undefined;
  await Promise.all(upstreams.splice(0).map((started) => started.close()));
});
afterAll(killAll);

describe.skipIf(!runtime)("deploy/nginx.conf", () => {
  it("is accepted by `nginx -t` as shipped, with the one-machine upstreams beside it", () => {
    const prefix = mkdtempSync(join(tmpdir(), "mcp-nginx-t-"));
    try {
      // stdout not a socket: nginx opens /dev/stdout for the access log.
      const checked = spawnSync(
        findBinary("nginx") ?? "nginx",
        ["-t", "-c", shippedConfig, "-p", `${prefix}/`, "-e", "stderr"],
        {
          encoding: "utf8",
          stdio: ["ignore", "ignore", "pipe"],
        },
      );
      expect(checked.stderr).toContain("test is successful");
      expect(checked.stderr).not.toMatch(/\[(warn|emerg|alert)\]/);
      expect(checked.status).toBe(0);
    } finally {
      rmSync(prefix, { recursive: true, force: true });
    }
  });

  it("names the Compose services in the Compose upstream files", () => {
    const compose = (file: string) =>
      readFileSync(join(repositoryRoot, "deploy/nginx/compose", file), "utf8");
    expect(compose("mcp-servers.conf")).toMatch(/^server mcp:9090;$/m);
    expect(compose("admin-servers.conf")).toMatch(/^server admin:9091;$/m);
  });

  it("streams MCP responses unbuffered and uncached, lets quiet streams live an hour, and keeps upstream connections", () => {
    const config = readFileSync(shippedConfig, "utf8").replace(/#.*$/gm, "");
    const mcpLocation = block(config.slice(config.indexOf("listen 9090;")), "location / {");
    for (const directive of [
      "proxy_pass http://mcp;",
      "proxy_buffering off;",
      "proxy_cache off;",
      "proxy_read_timeout 1h;",
      "proxy_send_timeout 1h;",
    ]) {
      expect(mcpLocation).toContain(directive);
    }
    const http = block(config, "http {");
    for (const directive of [
      "proxy_http_version 1.1;",
      'proxy_set_header Connection "";',
      "proxy_next_upstream error timeout;",
    ]) {
      expect(http).toContain(directive);
    }
    expect(block(http, "upstream mcp {")).toMatch(/keepalive \d+;/);
    // No stickiness: no hash, ip_hash or sticky directive picks the replica.
    expect(block(http, "upstream mcp {")).not.toMatch(/\b(hash|ip_hash|sticky)\b/);
  });

  it("passes each SSE event on at once and keeps a quiet stream open", async () => {
    const service = await upstream((_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write("event: message\ndata: first\n\n");
      setTimeout(() => response.end("event: message\ndata: second\n\n"), 2_500);
    });
    nginx = await startNginx({ mcpPorts: [service.port], adminPorts: [service.port] });
    const sent = Date.now();
    const response = await fetch(`${nginx.mcpUrl}/mcp`, { headers: { "accept-encoding": "gzip" } });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain("data: first");
    expect(Date.now() - sent).toBeLessThan(1_000);
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      rest += new TextDecoder().decode(chunk.value);
    }
    expect(rest).toContain("data: second");
  });

  it("forwards the client's Host, address, scheme and body to the service over keep-alive HTTP/1.1", async () => {
    const service = await upstream();
    nginx = await startNginx({ mcpPorts: [service.port], adminPorts: [service.port] });
    const host = new URL(nginx.mcpUrl).host;
    for (const url of [`${nginx.mcpUrl}/mcp`, `${nginx.adminUrl}/api/me`]) {
      const response = await fetch(url, { method: "POST", body: "x".repeat(4_500_000) });
      const seen = (await response.json()) as SeenRequest;
      expect(seen).toMatchObject({ httpVersion: "1.1", bodyBytes: 4_500_000 });
      expect(seen.headers).toMatchObject({
        host: url.startsWith(nginx.mcpUrl) ? host : new URL(nginx.adminUrl).host,
        "x-forwarded-for": "127.0.0.1",
        "x-forwarded-proto": "http",
      });
      // An empty Connection header lets nginx keep the upstream connection open.
      expect(seen.headers.connection).toBeUndefined();
    }
  });

  it("takes turns between the MCP replicas, with no stickiness", async () => {
    const services = [await upstream(), await upstream(), await upstream()];
    nginx = await startNginx({ mcpPorts: services.map((s) => s.port), adminPorts: [services[0]?.port ?? 0] });
    for (let i = 0; i < 9; i++) expect((await fetch(`${nginx.mcpUrl}/health`)).status).toBe(200);
    expect(services.map((service) => service.seen.length)).toEqual([3, 3, 3]);
  });

  it("sends a request that never reached a replica to the next one", async () => {
    const gone = await freePort();
    const service = await upstream();
    nginx = await startNginx({ mcpPorts: [gone, service.port], adminPorts: [service.port] });
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${nginx.mcpUrl}/mcp`, { method: "POST", body: `{"call":${i}}` });
      expect(response.status).toBe(200);
    }
    expect(service.seen.filter((seen) => seen.method === "POST")).toHaveLength(4);
  });

  it("never sends a POST again once a replica has received it, and answers a JSON-RPC error", async () => {
    // Takes the request, then drops the connection without answering: the call may have run.
    const dropping = await upstream((_request, _response, raw) => raw.socket.destroy());
    const healthy = await upstream();
    nginx = await startNginx({ mcpPorts: [dropping.port, healthy.port], adminPorts: [healthy.port] });
    let dropped: Response | undefined;
    for (let i = 0; i < 4 && !dropped; i++) {
      const before = healthy.seen.length;
      const response = await fetch(`${nginx.mcpUrl}/mcp`, { method: "POST", body: `{"call":${i}}` });
      if (healthy.seen.length === before) dropped = response;
      else expect(response.status).toBe(200);
    }
    expect(dropping.seen).toHaveLength(1);
    expect(dropped?.status).toBe(502);
    expect(await dropped?.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32000 } });
  });
});
