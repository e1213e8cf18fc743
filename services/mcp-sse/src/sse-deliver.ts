import type { EdgeLimits } from "./limits.js";
import type { JsonRpcBody } from "./read-body.js";
import type { SseSession } from "./sessions.js";

/** Hands messages POSTed to `/messages` to their legacy SSE session: 202, the answers go on its stream. */
export function deliverMessages(
  session: SseSession,
  body: JsonRpcBody,
  limits: Pick<EdgeLimits, "refusals" | "maxInFlight">,
): Response {
  if (!session.calls.admit(body)) return limits.refusals.inFlight(limits.maxInFlight);
  if (!Array.isArray(body)) session.transport.handleMessage(body);
  else for (const message of body) session.transport.handleMessage(message);
  return new Response(null, { status: 202 });
}
