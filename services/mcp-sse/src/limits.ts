import type { AppContext } from "@mcp-tools/core";
import { createSessionQuota, type SessionQuota } from "./cluster/session-quota.js";
import { createInFlight, type InFlight } from "./in-flight.js";
import type { BodyLimits } from "./read-body.js";
import { createLimitRefusals, type LimitRefusals } from "./refusals.js";
import type { ReplayStoreOptions } from "./replay-store.js";
import { createStreamBuffers, type StreamBuffers } from "./stream-buffer.js";

/** The limits per caller on the MCP HTTP edge, shared by /mcp, /sse and /messages. */
export interface EdgeLimits {
  readonly refusals: LimitRefusals;
  /** What a request body may hold. */
  readonly body: BodyLimits;
  /** Open sessions per caller, across replicas; renewed on the presence heartbeat (`start` does). */
  readonly quota: SessionQuota;
  readonly maxSessions: number;
  /** The SSE streams, bounded in what waits for a client that stopped reading. */
  readonly buffers: StreamBuffers;
  /** Open streams per Streamable HTTP session. */
  readonly maxStreams: number;
  /** Requests awaiting answers per caller, in this process. */
  readonly inFlight: InFlight;
  readonly maxInFlight: number;
  /** SSE_POLL_AFTER_MS: how long a 2025-11-25 call's stream stays open; 0 keeps it open. */
  readonly pollAfterMs: number;
  /** What each Streamable HTTP session keeps for redelivery on a resumed stream. */
  readonly replay: ReplayStoreOptions;
}

/**
 * Per session, so per caller at most MAX_SESSIONS_PER_CALLER times this. The bytes hold a large
 * result (the newest event is kept whatever its size) beside the calls around it.
 */
export const REPLAY_MAX_EVENTS = 1_000;
export const REPLAY_MAX_BYTES = 4 * 1024 * 1024;

export function createEdgeLimits(ctx: AppContext): EdgeLimits {
  const { config } = ctx;
  const refusals = createLimitRefusals(ctx.metrics);
  const buffers = createStreamBuffers({
    maxBytes: config.STREAM_BUFFER_MAX_BYTES,
    metrics: ctx.metrics,
    log: ctx.log,
  });
  ctx.metrics.observeStreamBuffers(() => ({ waiting: buffers.waiting(), peak: buffers.peak }));
  return {
    refusals,
    body: { maxBytes: config.MAX_BODY_BYTES, maxBatch: config.MAX_BATCH_MESSAGES, refusals },
    quota: createSessionQuota({ bus: ctx.bus, log: ctx.log, max: config.MAX_SESSIONS_PER_CALLER }),
    maxSessions: config.MAX_SESSIONS_PER_CALLER,
    buffers,
    maxStreams: config.MAX_STREAMS_PER_SESSION,
    inFlight: createInFlight(config.MAX_IN_FLIGHT_CALLS),
    maxInFlight: config.MAX_IN_FLIGHT_CALLS,
    pollAfterMs: config.SSE_POLL_AFTER_MS,
    replay: { maxEvents: REPLAY_MAX_EVENTS, maxBytes: REPLAY_MAX_BYTES },
  };
}
