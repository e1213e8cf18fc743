import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** A service on loopback for HTTP tools to call: it answers with what it was asked. */
export interface TestUpstream {
  base: string;
  /** Headers of every request, in order. */
  seen: IncomingHttpHeaders[];
  close(): Promise<void>;
}

/** Answers `{ id, status: "open" }` for any path ending in an id, as a ticketing service would. */
export async function startUpstream(): Promise<TestUpstream> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    const { pathname } = new URL(req.url ?? "/", "http://upstream");
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ id: decodeURIComponent(pathname.split("/").at(-1) ?? ""), status: "open" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * An OpenAPI 3.1 document of a ticketing service at `base`: tickets (get, close), a queue unless
 * `queues` is false, and `extra` more operations.
 */
export function ticketsDocument(base: string, { queues = true, extra = 0 } = {}): string {
  const paths: Record<string, unknown> = {
    "/tickets/{id}": {
      get: {
        operationId: "getTicket",
        summary: "Read a ticket",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": { description: "ok" } },
      },
      delete: {
        operationId: "closeTicket",
        summary: "Close a ticket",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        responses: { "204": { description: "closed" } },
      },
    },
  };
  if (queues)
    paths["/queues/{id}"] = {
      get: {
        operationId: "getQueue",
        summary: "Read a queue of tickets",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": { description: "ok" } },
      },
    };
  for (let index = 0; index < extra; index += 1)
    paths[`/reports/r${index}/{id}`] = {
      get: {
        operationId: `getReport${index}`,
        summary: `Read report number ${index}`,
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": { description: "ok" } },
      },
    };
  return JSON.stringify({
    openapi: "3.1.0",
    info: { title: "Tickets", version: "1" },
    servers: [{ url: base }],
    components: { securitySchemes: { tickets: { type: "http", scheme: "bearer" } } },
    security: [{ tickets: [] }],
    paths,
  });
}
