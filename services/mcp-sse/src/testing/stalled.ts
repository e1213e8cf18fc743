// Helpers for this package's tests; not exported from the package.
import { connect, type Socket } from "node:net";

export interface StalledClient {
  /** What arrived before the client stopped reading. */
  readonly received: string;
  /** Ends the connection from the client's side. */
  destroy(): void;
}

/**
 * Sends one HTTP/1.1 request over a raw socket, reads until `readUntil` has arrived (nothing, by
 * default), then stops reading for good, as a client that hangs does: what the server writes
 * afterwards piles up in the kernel's buffers, then in the server's.
 */
export async function stalledRequest(
  url: string,
  {
    method = "GET",
    path,
    headers = {},
    body = "",
    readUntil,
  }: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: string;
    readUntil?: (text: string) => boolean;
  },
): Promise<StalledClient> {
  const { hostname, port } = new URL(url);
  const socket: Socket = connect({ host: hostname, port: Number(port) });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  socket.on("error", () => undefined); // the server cutting us off is what the test expects
  let received = "";
  if (!readUntil) socket.pause();
  const head = [
    `${method} ${path} HTTP/1.1`,
    `host: ${hostname}:${port}`,
    `content-length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.write(`${head.join("\r\n")}\r\n\r\n${body}`);
  if (readUntil) {
    await new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => {
        received += chunk.toString("utf8");
        if (!readUntil(received)) return;
        socket.off("data", onData);
        socket.pause();
        resolve();
      };
      socket.on("data", onData);
    });
  }
  return {
    get received() {
      return received;
    },
    destroy: () => socket.destroy(),
  };
}
