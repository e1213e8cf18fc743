import type { AppContext } from "../../context.js";
import { promptListSignature } from "../../prompts/serve.js";
import { MAX_SUBSCRIPTIONS, MAX_URI_CHARS } from "../../resources/serve.js";
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
 * `toolsListChanged`, `promptsListChanged` and `resourceSubscriptions` (its resource list is not
 * watched), and acknowledges only those. `emit` gets a `notifications/tools/list_changed` when a
 * settings change, made in any process (the bus carries it), alters the tools this caller sees —
 * and only then; and a `notifications/resources/updated` when a subscribed resource changes.
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
  const promptsListChanged = wanted?.promptsListChanged === true;
  const resourceSubscriptions = resourceSubscriptionsOf(wanted);
  const stops: Array<() => void> = resourceSubscriptions.map((uri) =>
    ctx.resourceUpdates.watch(uri, () =>
      emit({ jsonrpc: "2.0", method: "notifications/resources/updated", params: { _meta: meta, uri } }),
    ),
  );
  if (toolsListChanged) {
    let shown = signatureOf(ctx, principal);
    const changed = () => {
      const now = signatureOf(ctx, principal);
      if (now === shown) return;
      shown = now;
      emit({ jsonrpc: "2.0", method: "notifications/tools/list_changed", params: { _meta: meta } });
    };
    // Settings (enabled, description) and the catalog (approved versions) each change the list.
    stops.push(ctx.toolSettings.onChange(changed), ctx.tools.onChange(changed));
  }
  if (promptsListChanged) {
    let shown: Promise<string> = promptListSignature(ctx, principal);
    stops.push(
      ctx.prompts.onChange(() => {
        const before = shown;
        shown = promptListSignature(ctx, principal);
        void Promise.all([before, shown]).then(
          ([was, now]) => {
            if (was !== now)
              emit({ jsonrpc: "2.0", method: "notifications/prompts/list_changed", params: { _meta: meta } });
          },
          () => undefined,
        );
      }),
    );
  }
  const honoured = {
    ...(toolsListChanged && { toolsListChanged }),
    ...(promptsListChanged && { promptsListChanged }),
    ...(resourceSubscriptions.length > 0 && { resourceSubscriptions }),
  };
  return {
    acknowledged: {
      jsonrpc: "2.0",
      method: "notifications/subscriptions/acknowledged",
      params: { _meta: meta, notifications: honoured },
    },
    closing: completeResult(subscriptionId, { _meta: meta }, serverInfo),
    close: () => {
      for (const stop of stops.splice(0)) stop();
    },
  };
}

/**
 * The resource URIs of a listen this server honours: strings no longer than a URI may be, each once,
 * the first MAX_SUBSCRIPTIONS of them. The acknowledgement names them, so the client knows which.
 */
function resourceSubscriptionsOf(wanted: Record<string, unknown> | undefined): string[] {
  const uris = wanted?.resourceSubscriptions;
  if (!Array.isArray(uris)) return [];
  const valid = uris.filter((uri): uri is string => typeof uri === "string" && uri.length <= MAX_URI_CHARS);
  return [...new Set(valid)].slice(0, MAX_SUBSCRIPTIONS);
}

const signatureOf = (ctx: AppContext, principal: Principal) => listSignature(visibleTools(ctx, principal));
