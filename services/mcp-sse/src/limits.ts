import type { AppContext } from "@mcp-tools/core";
import type { BodyLimits } from "./read-body.js";
import { createLimitRefusals, type LimitRefusals } from "./refusals.js";
import { createSessionQuota, type SessionQuota } from "./session-quota.js";

/** The limits per caller on the MCP HTTP edge, shared by /mcp, /sse and /messages. */
export interface EdgeLimits {
  readonly refusals: LimitRefusals;
  /** What a request body may hold. */
  readonly body: BodyLimits;
  /** Open sessions per caller, across replicas. */
  readonly quota: SessionQuota;
  readonly maxSessions: number;
}

export interface EdgeLimitsOptions {
  /** Pass one to start and close it with the server (`start` does); by default one that never beats. */
  quota?: SessionQuota;
}

export function createEdgeLimits(ctx: AppContext, options: EdgeLimitsOptions = {}): EdgeLimits {
  const { config } = ctx;
  const refusals = createLimitRefusals(ctx.metrics);
  return {
    refusals,
    body: { maxBytes: config.MAX_BODY_BYTES, maxBatch: config.MAX_BATCH_MESSAGES, refusals },
    quota:
      options.quota ??
      createSessionQuota({ bus: ctx.bus, log: ctx.log, max: config.MAX_SESSIONS_PER_CALLER }),
    maxSessions: config.MAX_SESSIONS_PER_CALLER,
  };
}
