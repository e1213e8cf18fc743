import { PassThrough } from "node:stream";
import type { AppContext } from "@mcp-tools/core";
import { start } from "../start.js";

export interface Message {
  id?: string | number;
  method?: string;
  result?: Record<string, unknown>;
  params?: Record<string, unknown>;
}

/** A stdio server on pipes, spoken to line by line as a client would, every line it writes kept. */
export async function connectPipes(ctx: AppContext) {
  const toServer = new PassThrough();
  const fromServer = new PassThrough();
  const service = await start(ctx, { input: toServer, output: fromServer });
  const received: Message[] = [];
  let partial = "";
  fromServer.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString("utf8")).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) received.push(JSON.parse(line));
  });
  return {
    service,
    received,
    /** Writes the messages in one chunk. */
    send: (...messages: object[]) =>
      toServer.write(
        messages.map((message) => `${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`).join(""),
      ),
    answerTo: (id: string | number) => received.find((message) => message.id === id && !message.method),
  };
}
