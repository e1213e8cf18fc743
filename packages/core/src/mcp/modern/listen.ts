import type { AppContext } from "../../context.js";
import { listSignature, visibleTools } from "../../tools/settings/visible.js";
import type { Principal } from "../principal.js";
import { serverInfo } from "../server-info.js";
import type { ModernRequest } from "./dispatch.js";
import {
  completeResult,
  type ModernNotification,
  type ModernResponse,
  SUBSCRIPTION_ID_META_KEY,
} from "./wire.js";

/** One `subscriptions/listen`: what to send first, and how to end it. */
export interface Subscription {
  /** `notifications/subscriptions/acknowledged`, which the stream carries before anything else. */
  readonly acknowledged: ModernNotification;
  /** The graceful end: the response to the listen request (MCP 2026-07-28 §Subscriptions). */
  readonly closing: ModernResponse;
  /** Stops the notifications. */
  close(): void;
}

/**
 * Opens a `subscriptions/listen` for one caller. Of the filters it asks for, this server honours
 * `toolsListChanged` (it has no prompts or resources), and acknowledges only that. `emit` gets a
 * `notifications/tools/list_changed` when a settings change, made in any process (the bus carries
 * it), alters the tools this caller sees — and only then.
 */
export function openSubscription(
  ctx: AppContext,
  request: ModernRequest,
  principal: Principal,
  emit: (notification: ModernNotification) => void,
): Subscription {
  const subscriptionId = request.id;
  const meta = { [SUBSCRIPTION_ID_META_KEY]: subscriptionId };
  const wanted = request.params?.notifications as Record<string, unknown> | undefined;
  const toolsListChanged = wanted?.toolsListChanged === true;
  let stop = () => {};
  if (toolsListChanged) {
    let shown = signatureOf(ctx, principal);
    const changed = () => {
      const now = signatureOf(ctx, principal);
      if (now === shown) return;
      shown = now;
      emit({ jsonrpc: "2.0", method: "notifications/tools/list_changed", params: { _meta: meta } });
    };
    // Settings (enabled, description) and the catalog (approved versions) each change the list.
    const stops = [ctx.toolSettings.onChange(changed), ctx.tools.onChange(changed)];
    stop = () => {
      for (const each of stops) each();
    };
  }
  return {
    acknowledged: {
      jsonrpc: "2.0",
      method: "notifications/subscriptions/acknowledged",
      params: { _meta: meta, notifications: toolsListChanged ? { toolsListChanged } : {} },
    },
    closing: completeResult(subscriptionId, { _meta: meta }, serverInfo),
    close: () => stop(),
  };
}

const signatureOf = (ctx: AppContext, principal: Principal) => listSignature(visibleTools(ctx, principal));
