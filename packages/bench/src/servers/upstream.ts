import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { reportFailure, serveControl } from "./control.js";
import { answerUpstream } from "./upstream-app.js";

// Entry of the upstream service the HTTP tool scenarios call, in a process of its own: in our
// server's it would take that server's CPU, in the load generator's it would wait behind the clients.
const server = createServer(answerUpstream);
server.on("error", reportFailure);
server.listen(0, "127.0.0.1", () => {
  serveControl({ port: (server.address() as AddressInfo).port }, async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
});
