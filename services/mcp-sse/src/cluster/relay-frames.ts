import type { JsonRpcBody } from "../read-body.js";

/** The routes whose requests can be relayed: Streamable HTTP, and the legacy transport's POSTs. */
export type RelayRoute = "mcp" | "messages";

/** A request for a session held by another process, as the owner receives it. */
export interface RelayedRequest {
  route: RelayRoute;
  /** The session's key (see session-key.ts), never its id. */
  session: string;
  principalId: string;
  method: string;
  headers: Record<string, string>;
  /** The parsed JSON-RPC body of a POST; the sender has already checked size and syntax. */
  body?: JsonRpcBody;
}

/**
 * What travels on a process's relay channel, sealed (relay-seal.ts), which names the sender;
 * `s` numbers a response among its sender's. Body bytes travel base64-encoded, at most
 * CHUNK_BYTES a frame, so no frame outgrows what Redis buffers for a subscriber.
 */
export type Frame =
  | ({ t: "req"; s: number } & RelayedRequest)
  | { t: "cancel"; s: number }
  | { t: "ping" }
  // The head carries the start of the body, and all of it when `end` is set (most POSTs).
  | { t: "head"; s: number; status: number; headers: Record<string, string>; d: string; end: boolean }
  | { t: "data"; s: number; n: number; d: string }
  | { t: "end"; s: number; n: number; error?: string };

/** The frames of a response, which its sender receives. */
export type ResponseFrame = Extract<Frame, { t: "head" | "data" | "end" }>;

/** Publishes a frame on a process's channel; resolves to how many processes received it. */
export type SendFrame = (processId: string, frame: Frame) => Promise<number>;

/** The most body bytes in one frame: 64 KiB on the wire, base64 and envelope included. */
export const CHUNK_BYTES = 47 * 1024;

export const channelOf = (processId: string) => `mcp:relay:${processId}`;
