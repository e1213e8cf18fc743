import { type AppContext, localPrincipal } from "@mcp-tools/core";
import {
  createModernDispatcher,
  errorResponse,
  type ModernRequest,
  openSubscription,
  routeMessage,
  type Subscription,
} from "@mcp-tools/core/modern";

/** The stateless era (MCP 2026-07-28) on one stdio connection. */
export interface ModernStdio {
  /** Answers a message of the modern era; false, doing nothing, for a message of the older eras. */
  receive(body: unknown): boolean;
  /** Ends every subscription with its closing response. */
  close(): void;
}

type Send = (message: object) => void;

/**
 * Each request runs as it comes, concurrently; `notifications/cancelled` aborts one, or ends a
 * subscription (MCP 2026-07-28 §Cancellation: nothing more is sent for it). Subscriptions share
 * the one channel, each notification naming its subscription in `_meta`.
 */
export function createModernStdio(ctx: AppContext, send: Send): ModernStdio {
  const dispatcher = createModernDispatcher(ctx);
  const running = new Map<string | number, AbortController>();
  const subscriptions = new Map<string | number, Subscription>();
  const call = { principal: localPrincipal, transport: "stdio" as const };

  function run(request: ModernRequest) {
    if (request.method === "subscriptions/listen") return listen(request);
    const controller = new AbortController();
    running.set(request.id, controller);
    // Nothing more is sent for a request once it is cancelled (MCP 2026-07-28 §Cancellation).
    const notify = (notification: object) => {
      if (!controller.signal.aborted) send(notification);
    };
    void dispatcher.answer(request, { ...call, signal: controller.signal, notify }).then((response) => {
      if (running.get(request.id) === controller) running.delete(request.id);
      if (!controller.signal.aborted) send(response);
    });
  }

  function listen(request: ModernRequest) {
    subscriptions.get(request.id)?.close();
    const subscription = openSubscription(ctx, request, localPrincipal, send);
    subscriptions.set(request.id, subscription);
    send(subscription.acknowledged);
  }

  function cancel(params: Record<string, unknown> | undefined) {
    const id = params?.requestId;
    if (typeof id !== "string" && typeof id !== "number") return;
    running.get(id)?.abort(new Error("cancelled by the client"));
    running.delete(id);
    subscriptions.get(id)?.close();
    subscriptions.delete(id);
  }

  return {
    receive(body) {
      const route = routeMessage({ body }, dispatcher);
      switch (route.kind) {
        case "legacy":
          return false;
        case "refused":
          send(errorResponse(route.id, route.error));
          return true;
        case "notification":
          if (route.method === "notifications/cancelled") cancel(route.params);
          return true;
        case "request":
          run(route.request);
          return true;
      }
    },
    close() {
      for (const subscription of subscriptions.values()) {
        subscription.close();
        send(subscription.closing);
      }
      subscriptions.clear();
    },
  };
}
