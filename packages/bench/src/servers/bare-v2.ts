import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { createBareV2App } from "./bare-v2-app.js";
import { reportFailure, serveControl } from "./control.js";

// Entry of the SDK v2 baseline HTTP server process: /mcp only, through Hono, as servers/bare-sdk.ts serves v1.
const { app, close } = createBareV2App();
const server = createServer(getRequestListener(app.fetch));
server.on("error", reportFailure);
server.listen(0, "127.0.0.1", () => {
  serveControl({ port: (server.address() as AddressInfo).port }, async () => {
    await close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
});
