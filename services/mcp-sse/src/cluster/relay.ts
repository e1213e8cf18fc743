import type { Bus, Lifecycle, Logger, Metrics } from "@mcp-tools/core";
import { channelOf, type Frame, type RelayedRequest } from "./relay-frames.js";
import { createRelayOwner, type RelayHandlers } from "./relay-owner.js";
import { createRelaySeal, type FrameRejection } from "./relay-seal.js";
import { createRelaySender, type ForwardResult } from "./relay-sender.js";

export type { RelayedRequest, RelayRoute } from "./relay-frames.js";
export type { RelayHandler, RelayHandlers } from "./relay-owner.js";
export type { ForwardResult, RelayFailure } from "./relay-sender.js";

/**
 * HTTP over the bus, between the processes that serve MCP. A request for a session held elsewhere
 * is published on the owner's channel; the owner answers it as if the client had asked it directly,
 * and streams the response back (head, body chunks, end) on the sender's channel. Redis keeps the
 * order of one publisher's messages, and each chunk is numbered, so a lost one ends the stream
 * instead of corrupting it. Each process subscribes to its own channel only, and every frame is
 * signed (relay-seal.ts): one that is not, or comes from anyone but the owner asked, is dropped.
 */
export interface Relay {
  /** Subscribes to this process's channel; requests for its sessions arrive from then on. */
  listen(): Promise<void>;
  /** Sends the request to the owner's handler and returns the owner's response. */
  forward(owner: string, request: RelayedRequest): Promise<ForwardResult>;
  /** Ends the GET streams relayed to this process's clients; relayed POSTs are still answered. */
  endStreams(): void;
  /** Ends every relayed response in both directions and unsubscribes. */
  close(): Promise<void>;
}

export interface RelayOptions {
  bus: Bus;
  processId: string;
  /** RELAY_SECRET: the key every process of the deployment signs its frames with. */
  secret: string;
  /** How requests relayed to this process are answered: as the same requests made here. */
  handlers?: RelayHandlers;
  log: Pick<Logger, "debug" | "warn">;
  metrics?: Pick<Metrics, "relayFramesRejected">;
  /**
   * Counts relayed POSTs in flight until their responses end, on both sides: a draining sender
   * waits for its answers, a draining owner keeps answering until they have gone out.
   */
  lifecycle?: Pick<Lifecycle, "track">;
  /** How long to wait for the owner's response head. */
  answerTimeoutMs?: number;
  /** How often to check that the owners of open relayed responses are still there. */
  watchMs?: number;
}

/** A dropped frame is logged at most this often per reason; the metric counts every one. */
const REJECTION_LOG_INTERVAL_MS = 60_000;

export function createRelay({
  bus,
  processId,
  secret,
  handlers = {},
  log,
  metrics,
  lifecycle,
  answerTimeoutMs = 30_000,
  watchMs = 2_000,
}: RelayOptions): Relay {
  const seal = createRelaySeal({ secret, processId });
  const send = (to: string, frame: Frame) => bus.publish(channelOf(to), seal.seal(to, frame));
  const owner = createRelayOwner(send, handlers, log);
  const sender = createRelaySender({ send, log, lifecycle, answerTimeoutMs, watchMs });
  const loggedAt = new Map<FrameRejection, number>();
  let unsubscribe: Promise<() => Promise<void>> | undefined;

  function reject(reason: FrameRejection) {
    metrics?.relayFramesRejected.inc({ reason });
    const now = Date.now();
    if (now - (loggedAt.get(reason) ?? -Infinity) < REJECTION_LOG_INTERVAL_MS) return;
    loggedAt.set(reason, now);
    log.warn(
      { reason },
      "dropped a relay frame: is RELAY_SECRET the same on every replica, and Redis closed to others?",
    );
  }

  function onFrame(text: string) {
    const opened = seal.open(text);
    if (!opened.ok) return reject(opened.reason);
    const { from, frame } = opened;
    switch (frame.t) {
      case "req": {
        const answered = owner.answer(from, frame);
        if (frame.method !== "GET") void lifecycle?.track(answered);
        return;
      }
      case "cancel":
        owner.cancel(from, frame.s);
        return;
      case "ping":
        return;
      default:
        if (!sender.receive(from, frame)) reject("not-the-owner");
    }
  }

  const listen = () => {
    unsubscribe ??= bus.subscribe(channelOf(processId), onFrame);
    return unsubscribe.then(() => undefined);
  };

  return {
    listen,
    async forward(to, request) {
      // The answer comes back on this process's channel.
      await listen();
      return sender.forward(to, request);
    },
    endStreams: () => sender.endStreams(),
    async close() {
      sender.close();
      await owner.close();
      const off = await unsubscribe?.catch(() => undefined);
      unsubscribe = undefined;
      await off?.().catch(() => undefined);
    },
  };
}
