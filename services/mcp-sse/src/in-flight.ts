import type { JSONRPCMessage, RequestId } from "@modelcontextprotocol/sdk/types.js";
import type { JsonRpcBody } from "./read-body.js";

/**
 * JSON-RPC requests awaiting their answers, per caller, in this process. Per process on purpose:
 * a call in flight lives in the memory of the process that runs it and ends with it, which is
 * what the limit protects; counting on the bus would add round trips to every call, and a caller
 * spread over N replicas may have N times the limit in flight, in step with their capacity.
 */
export interface InFlight {
  /** Starts counting one session's requests against `caller`. */
  track(caller: string): SessionCalls;
  /** The caller's requests in flight here now. */
  count(caller: string): number;
}

/** One session's requests in flight; every one counts against the session's caller. */
export interface SessionCalls {
  /**
   * Counts the body's requests as in flight, and settles those its `notifications/cancelled`
   * name (the SDK answers no cancelled request). False, counting nothing, when that would take
   * the caller past the limit.
   */
  admit(body: JsonRpcBody): boolean;
  /** Uncounts the body's requests: the transport refused them before running any. */
  withdraw(body: JsonRpcBody): void;
  /** The answer to request `id` went out. */
  settle(id: RequestId | null | undefined): void;
  /** The session has ended: none of its requests counts any longer. */
  end(): void;
}

const isRequest = (message: JSONRPCMessage) => "method" in message && "id" in message;

/** A message's requests, counted without allocating: the tool-call path runs through here. */
function requestsIn(body: JsonRpcBody): number {
  if (!Array.isArray(body)) return isRequest(body) ? 1 : 0;
  let count = 0;
  for (const message of body) if (isRequest(message)) count += 1;
  return count;
}

function cancelledBy(message: JSONRPCMessage): RequestId | undefined {
  if (!("method" in message) || message.method !== "notifications/cancelled") return undefined;
  const id = message.params?.requestId;
  return typeof id === "string" || typeof id === "number" ? id : undefined;
}

export function createInFlight(max: number): InFlight {
  const counts = new Map<string, number>();
  const add = (caller: string, delta: number) => {
    const next = (counts.get(caller) ?? 0) + delta;
    if (next > 0) counts.set(caller, next);
    else counts.delete(caller);
  };

  return {
    count: (caller) => counts.get(caller) ?? 0,
    track(caller) {
      // By id, with a count: a client that reuses an id while the first is in flight is counted twice.
      const pending = new Map<RequestId, number>();
      const settle = (id: RequestId | null | undefined) => {
        const times = id === null || id === undefined ? undefined : pending.get(id);
        if (id === null || id === undefined || times === undefined) return;
        if (times > 1) pending.set(id, times - 1);
        else pending.delete(id);
        add(caller, -1);
      };
      const visit = (message: JSONRPCMessage) => {
        if (isRequest(message) && "id" in message) {
          pending.set(message.id, (pending.get(message.id) ?? 0) + 1);
          return;
        }
        const cancelled = cancelledBy(message);
        if (cancelled !== undefined) settle(cancelled);
      };
      return {
        admit(body) {
          const requests = requestsIn(body);
          if (requests > 0 && (counts.get(caller) ?? 0) + requests > max) return false;
          if (Array.isArray(body)) for (const message of body) visit(message);
          else visit(body);
          if (requests > 0) add(caller, requests);
          return true;
        },
        withdraw(body) {
          for (const message of Array.isArray(body) ? body : [body])
            if (isRequest(message) && "id" in message) settle(message.id);
        },
        settle,
        end() {
          let total = 0;
          for (const times of pending.values()) total += times;
          pending.clear();
          if (total > 0) add(caller, -total);
        },
      };
    },
  };
}
