import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What a stand-in service saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  httpVersion: string;
  headers: IncomingMessage["headers"];
  bodyBytes: number;
}

export interface FakeUpstream {
  port: number;
  seen: SeenRequest[];
  close(): Promise<void>;
}

type Handler = (request: SeenRequest, response: ServerResponse, raw: IncomingMessage) => void;

/** A stand-in for one of our services, to see exactly what nginx sends it and does with answers. */
export function fakeUpstream(handler: Handler): Promise<FakeUpstream> {
  const seen: SeenRequest[] = [];
  const server = createServer((raw, response) => {
    let bodyBytes = 0;
    raw.on("data", (chunk: Buffer) => {
      bodyBytes += chunk.length;
    });
    raw.on("end", () => {
      const request = {
        method: raw.method ?? "",
        url: raw.url ?? "",
        httpVersion: raw.httpVersion,
        headers: raw.headers,
        bodyBytes,
      };
      seen.push(request);
      handler(request, response, raw);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        seen,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Answers with what it saw, as JSON. */
export const echoRequest: Handler = (request, response) => {
  response.writeHead(200, { "content-type": "application/json" });
  response.end(JSON.stringify(request));
};
