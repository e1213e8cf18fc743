import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { createBareLegacyHandler, isLegacyPath } from "./bare-legacy-sse.js";
import { createBareStreamableApp } from "./bare-streamable.js";
import { reportFailure, serveControl } from "./control.js";

// Entry of the baseline HTTP server process: /mcp through Hono, /sse + /messages on node:http.
const streamable = getRequestListener(createBareStreamableApp().fetch);
const legacy = createBareLegacyHandler();
const server = createServer((req, res) => {
  if (isLegacyPath(req.url)) legacy(req, res);
  else void streamable(req, res);
});
server.on("error", reportFailure);
server.listen(0, "127.0.0.1", () => {
  serveControl({ port: (server.address() as AddressInfo).port }, async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
});
