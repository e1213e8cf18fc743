import type { Bus, Lifecycle, Logger } from "@mcp-tools/core";
import { channelOf, type Frame, type RelayedRequest, type RelayRoute } from "./relay-frames.js";
import { createRelayOwner, type RelayHandler } from "./relay-owner.js";
import { createRelaySender, type ForwardResult } from "./relay-sender.js";

export type { RelayedRequest, RelayRoute } from "./relay-frames.js";
export type { RelayHandler } from "./relay-owner.js";
export type { ForwardResult, RelayFailure } from "./relay-sender.js";

/**
 * HTTP over the bus, between the processes that serve MCP. A request for a session held elsewhere
 * is published on the owner's channel; the owner answers it as if the client had asked it directly,
 * and streams the response back (head, body chunks, end) on the sender's channel. Redis keeps the
 * order of one publisher's messages, and each chunk is numbered, so a lost one ends the stream
 * instead of corrupting it. Each process subscribes to its own channel only.
 */
export interface Relay {
  /** Subscribes to this process's channel; requests for its sessions arrive from then on. */
  listen(): Promise<void>;
  /** Sets how requests arriving for `route` are answered. */
  serve(route: RelayRoute, handler: RelayHandler): void;
  /** Sends the request to the owner's handler and returns the owner's response. */
  forward(owner: string, request: RelayedRequest): Promise<ForwardResult>;
  /** Ends every relayed response in both directions and unsubscribes. */
  close(): Promise<void>;
}

export interface RelayOptions {
  bus: Bus;
  processId: string;
  log: Pick<Logger, "debug" | "warn">;
  /** Counts a relayed POST in flight until its response ends, so a drain waits for it. */
  lifecycle?: Pick<Lifecycle, "track">;
  /** How long to wait for the owner's response head. */
  answerTimeoutMs?: number;
  /** How often to check that the owners of open relayed responses are still there. */
  watchMs?: number;
}

export function createRelay({
  bus,
  processId,
  log,
  lifecycle,
  answerTimeoutMs = 30_000,
  watchMs = 2_000,
}: RelayOptions): Relay {
  const send = (to: string, frame: Frame) => bus.publish(channelOf(to), JSON.stringify(frame));
  const owner = createRelayOwner(send, log);
  const sender = createRelaySender({ send, processId, log, lifecycle, answerTimeoutMs, watchMs });
  let unsubscribe: Promise<() => Promise<void>> | undefined;

  function onFrame(text: string) {
    let frame: Frame;
    try {
      frame = JSON.parse(text) as Frame;
    } catch {
      return;
    }
    switch (frame.t) {
      case "req":
        void owner.answer(frame);
        return;
      case "cancel":
        owner.cancel(frame.from, frame.s);
        return;
      case "ping":
        return;
      default:
        sender.receive(frame);
    }
  }

  const listen = () => {
    unsubscribe ??= bus.subscribe(channelOf(processId), onFrame);
    return unsubscribe.then(() => undefined);
  };

  return {
    listen,
    serve: (route, handler) => owner.serve(route, handler),
    async forward(to, request) {
      // The answer comes back on this process's channel.
      await listen();
      return sender.forward(to, request);
    },
    async close() {
      sender.close();
      await owner.close();
      const off = await unsubscribe?.catch(() => undefined);
      unsubscribe = undefined;
      await off?.().catch(() => undefined);
    },
  };
}
